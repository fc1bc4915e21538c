#include <om/report/verifications.hpp>

namespace om::report {
namespace {

util::Cell cell_text(const db::Row& r, std::size_t i) {
  auto v = r.opt_text(i);
  return v ? util::Cell(*v) : util::Cell(std::monostate{});
}
util::Cell cell_integer(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? util::Cell(*v) : util::Cell(std::monostate{});
}
util::Cell cell_share(const db::Row& r, std::size_t i) {
  auto v = r.opt_text(i);
  return v ? util::Cell(std::stod(*v)) : util::Cell(std::monostate{});
}
util::Cell cell_instant(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? util::Cell(util::Instant{*v}) : util::Cell(std::monostate{});
}

} // namespace

Result<util::Table> list_checks(db::Catalog& catalog, const JobFilter& f,
                                const std::optional<std::string>& target) {
  std::string where = "1 = 1";
  std::vector<db::Value> params;
  if (f.status) {
    where += " AND status = ?";
    params.emplace_back(*f.status);
  }
  if (f.since) {
    where += " AND started_at >= FROM_UNIXTIME(?)";
    params.emplace_back(*f.since);
  }
  if (f.until) {
    where += " AND started_at < FROM_UNIXTIME(?)";
    params.emplace_back(*f.until);
  }
  if (f.host) {
    where += " AND host = ?";
    params.emplace_back(*f.host);
  }
  if (target) {
    where += " AND target = ?";
    params.emplace_back(*target);
  }
  params.emplace_back(static_cast<std::int64_t>(f.limit));
  OM_TRY(rows, catalog.query("SELECT id, run_id, target, level, status, covered, bytes_read, "
                             "cycle_share, cycle_complete, UNIX_TIMESTAMP(started_at), "
                             "duration_ms, host, error FROM backup_checks WHERE " +
                                 where + " ORDER BY started_at DESC, id DESC LIMIT ?",
                             params));
  util::Table t{{"id", "run_id", "target", "level", "status", "covered", "bytes_read",
                 "cycle_share", "cycle_complete", "started_at", "duration_ms", "host", "error"},
                {}};
  for (const auto& r : rows)
    t.rows.push_back({cell_integer(r, 0), cell_text(r, 1), cell_text(r, 2), cell_text(r, 3),
                      cell_text(r, 4), cell_text(r, 5), cell_integer(r, 6), cell_share(r, 7),
                      util::Cell(r.integer(8)), cell_instant(r, 9), cell_integer(r, 10),
                      cell_text(r, 11), cell_text(r, 12)});
  return t;
}

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
    if (damage_at && !(clean_cycle && *clean_cycle > *damage_at)) {
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
