#include <om/check/record.hpp>

#include <om/db/value.hpp>

namespace om::check {

Result<void> insert_check(db::Catalog& catalog, const CheckRow& row) {
  OM_TRY_VOID(catalog.execute(
      "INSERT INTO backup_checks (run_id, host, target, repository, level, status, covered, "
      "bytes_read, cycle_share, cycle_complete, cycle_started_at, time_limit_s, started_at, "
      "finished_at, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), "
      "?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?, ?)",
      {row.run_id, db::fitted(row.host, db::varchar(255)), db::fitted(row.target, db::varchar(64)),
       db::fitted(row.repository, db::varchar(1024)), std::string(name_of(row.level)),
       std::string(name_of(row.outcome)),
       row.covered.empty() ? db::Value{} : db::fitted(row.covered, db::k_text_column),
       db::nullable(row.bytes_read), db::nullable(row.cycle_share),
       std::int64_t{row.cycle_complete ? 1 : 0}, db::nullable(row.cycle_started_at),
       db::nullable(row.time_limit_s), row.started_at, row.finished_at, row.duration_ms,
       db::fitted(row.error, db::k_text_column)}));
  return {};
}

Result<CycleState> cycle_state(db::Catalog& catalog, const std::string& target, Level level) {
  const std::string name(name_of(level));
  CycleState state;
  // The newest verification that read something: a completed cycle ends it.
  OM_TRY(newest, catalog.query_one("SELECT cycle_complete, UNIX_TIMESTAMP(cycle_started_at), "
                                   "UNIX_TIMESTAMP(finished_at) "
                                   "FROM backup_checks WHERE target = ? AND level = ? AND "
                                   "status IN ('success', 'corrupt') ORDER BY started_at DESC, "
                                   "id DESC LIMIT 1",
                                   {target, name}));
  if (newest && newest->integer(0) == 0)
    state.cycle_started_at = newest->opt_integer(1);
  else if (newest)
    state.previous_cycle_ended_at = newest->opt_integer(2);
  OM_TRY(success, catalog.query_one("SELECT UNIX_TIMESTAMP(MAX(finished_at)) FROM backup_checks "
                                    "WHERE target = ? AND level = ? AND status = 'success'",
                                    {target, name}));
  if (success)
    state.last_success_at = success->opt_integer(0);
  OM_TRY(limited, catalog.query_one("SELECT duration_ms - 1000 * time_limit_s FROM backup_checks "
                                    "WHERE target = ? AND level = ? AND time_limit_s IS NOT NULL "
                                    "ORDER BY started_at DESC, id DESC LIMIT 1",
                                    {target, name}));
  if (limited)
    state.overshoot_ms = limited->opt_integer(0);
  return state;
}

Result<std::map<std::string, std::int64_t>> verified_archives(db::Catalog& catalog,
                                                              const std::string& target) {
  OM_TRY(rows, catalog.query("SELECT archive_name, UNIX_TIMESTAMP(verified_at) FROM "
                             "backup_check_archives WHERE target = ?",
                             {target}));
  std::map<std::string, std::int64_t> out;
  for (const auto& r : rows)
    out.emplace(r.text(0), r.integer(1));
  return out;
}

Result<void> mark_verified(db::Catalog& catalog, const std::string& target,
                           const std::string& archive_name, const std::string& archive_id,
                           std::int64_t at) {
  OM_TRY_VOID(catalog.execute(
      "INSERT INTO backup_check_archives (target, archive_name, archive_id, verified_at) "
      "VALUES (?, ?, ?, FROM_UNIXTIME(?)) ON DUPLICATE KEY UPDATE archive_id = VALUES(archive_id), "
      "verified_at = VALUES(verified_at)",
      {target, archive_name, archive_id, at}));
  return {};
}

Result<std::map<std::string, std::int64_t>> recorded_archive_sizes(db::Catalog& catalog,
                                                                   const std::string& target) {
  OM_TRY(rows, catalog.query("SELECT archive_name, MAX(compressed_size) FROM backup_job_targets "
                             "WHERE target = ? AND archive_name IS NOT NULL AND compressed_size "
                             "IS NOT NULL GROUP BY archive_name",
                             {target}));
  std::map<std::string, std::int64_t> out;
  for (const auto& r : rows)
    out.emplace(r.text(0), r.integer(1));
  return out;
}

} // namespace om::check
