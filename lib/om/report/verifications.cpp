#include <om/report/verifications.hpp>

namespace om::report {

Result<std::vector<VerificationState>> verification_states(db::Catalog& catalog) {
  // Per target and level: the newest success, the newest damage, the newest clean cycle's start.
  OM_TRY(rows, catalog.query(
                   "SELECT target, level, UNIX_TIMESTAMP(MAX(IF(status = 'success', finished_at, "
                   "NULL))), UNIX_TIMESTAMP(MAX(IF(status = 'corrupt', started_at, NULL))), "
                   "UNIX_TIMESTAMP(MAX(IF(status = 'success' AND cycle_complete = 1, "
                   "cycle_started_at, NULL))) FROM backup_checks GROUP BY target, level ORDER "
                   "BY target, level"));
  std::vector<VerificationState> out;
  for (const auto& r : rows) {
    VerificationState s{
        .target = r.text(0), .level = r.text(1), .last_success_at = r.opt_integer(2)};
    const auto damage_at = r.opt_integer(3);
    const auto clean_cycle = r.opt_integer(4);
    const bool cleared = damage_at && clean_cycle && *clean_cycle > *damage_at;
    if (damage_at && !cleared) {
      s.damage_at = damage_at;
      OM_TRY(newest, catalog.query_one("SELECT error FROM backup_checks WHERE target = ? AND "
                                       "level = ? AND status = 'corrupt' ORDER BY started_at "
                                       "DESC, id DESC LIMIT 1",
                                       {s.target, s.level}));
      if (newest)
        s.damage = newest->text(0);
    }
    OM_TRY(share, catalog.query_one("SELECT cycle_share FROM backup_checks WHERE target = ? AND "
                                    "level = ? AND status IN ('success', 'corrupt') ORDER BY "
                                    "started_at DESC, id DESC LIMIT 1",
                                    {s.target, s.level}));
    if (share && !share->is_null(0))
      s.cycle_share = std::stod(share->text(0));
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace om::report
