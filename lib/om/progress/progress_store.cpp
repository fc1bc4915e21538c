#include <om/progress/progress_store.hpp>

#include <om/util/strings.hpp>

namespace om::progress {

Result<void> save(db::Catalog& catalog, const std::string& job_id, const Snapshot& s) {
  OM_TRY_VOID(catalog.execute(
      "INSERT INTO backup_job_progress (job_id, status, phase, files, bytes_processed, "
      "compressed_bytes, deduplicated_bytes, current_path, percent, eta_seconds, started_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), CURRENT_TIMESTAMP) "
      "ON DUPLICATE KEY UPDATE status = VALUES(status), phase = VALUES(phase), "
      "files = VALUES(files), bytes_processed = VALUES(bytes_processed), "
      "compressed_bytes = VALUES(compressed_bytes), "
      "deduplicated_bytes = VALUES(deduplicated_bytes), current_path = VALUES(current_path), "
      "percent = VALUES(percent), eta_seconds = VALUES(eta_seconds), "
      "started_at = VALUES(started_at), updated_at = CURRENT_TIMESTAMP",
      {job_id, s.status, db::fitted(s.phase, db::varchar(32)), s.files, s.bytes_processed,
       s.compressed_bytes, s.deduplicated_bytes,
       s.current_path.empty() ? db::Value{} : db::fitted(s.current_path, db::k_text_column),
       db::nullable(s.percent), db::nullable(s.eta_seconds), db::nullable(s.started_at)}));
  return {};
}

Result<std::optional<Snapshot>> load(db::Catalog& catalog, const std::string& job_id) {
  OM_TRY(row, catalog.query_one("SELECT status, phase, files, bytes_processed, compressed_bytes, "
                                "deduplicated_bytes, current_path, percent, eta_seconds, "
                                "UNIX_TIMESTAMP(started_at), UNIX_TIMESTAMP(updated_at) "
                                "FROM backup_job_progress WHERE job_id = ?",
                                {job_id}));
  if (!row)
    return std::optional<Snapshot>{};
  return std::optional<Snapshot>(read_snapshot(*row, 0));
}

Snapshot read_snapshot(const db::Row& row, std::size_t at) {
  Snapshot s;
  s.status = row.text(at);
  s.phase = row.text(at + 1);
  s.files = row.integer(at + 2);
  s.bytes_processed = row.integer(at + 3);
  s.compressed_bytes = row.integer(at + 4);
  s.deduplicated_bytes = row.integer(at + 5);
  s.current_path = row.text(at + 6);
  if (!row.is_null(at + 7))
    s.percent = std::stod(row.text(at + 7));
  s.eta_seconds = row.opt_integer(at + 8);
  s.started_at = row.opt_integer(at + 9);
  s.updated_at = row.opt_integer(at + 10);
  return s;
}

Result<std::optional<std::int64_t>> previous_duration_ms(db::Catalog& catalog, jobs::Kind kind,
                                                         const std::string& target,
                                                         const std::string& job_id) {
  // Both read an index newest first (idx_target_finished; idx_om_kind_status_created).
  OM_TRY(row, kind == jobs::Kind::borg
                  ? catalog.query_one("SELECT j.duration_ms FROM backup_job_targets t "
                                      "JOIN backup_jobs j ON j.id = t.job_id "
                                      "WHERE t.target = ? AND t.status = 'success' AND "
                                      "j.status = 'success' AND j.id <> ? AND j.duration_ms > 0 "
                                      "ORDER BY t.finished_at DESC LIMIT 1",
                                      {target, job_id})
                  : catalog.query_one("SELECT duration_ms FROM backup_jobs WHERE kind = ? AND "
                                      "status = 'success' AND id <> ? AND duration_ms > 0 "
                                      "ORDER BY created_at DESC LIMIT 1",
                                      {std::string(jobs::to_string(kind)), job_id}));
  if (!row)
    return std::optional<std::int64_t>{};
  return row->opt_integer(0);
}

} // namespace om::progress
