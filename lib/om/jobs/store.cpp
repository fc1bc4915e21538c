#include <om/jobs/store.hpp>

#include <spdlog/spdlog.h>

#include <om/changes/change_store.hpp>
#include <om/jobs/columns.hpp>
#include <om/util/time.hpp>

namespace om::jobs {
namespace {

// A job's progress row (backup_job_progress) shows its end once the job has one, also when
// the end was written by someone else than the job's own run: a spooled record, or a run
// closed as abandoned. Rows the run has already ended are left as they are.
Result<void> end_progress(db::Catalog& catalog, const std::string& id, Status status) {
  OM_TRY_VOID(catalog.execute(
      "UPDATE backup_job_progress SET status = ?, phase = 'done', current_path = NULL, "
      "eta_seconds = NULL, percent = IF(? = 'success', 100, percent), "
      "updated_at = CURRENT_TIMESTAMP WHERE job_id = ? AND status = 'running'",
      {std::string(to_string(status)), std::string(to_string(status)), id}));
  return {};
}

constexpr const char* k_job_columns =
    "id, kind, status, requested_by, UNIX_TIMESTAMP(started_at), UNIX_TIMESTAMP(finished_at), "
    "duration_ms, error, UNIX_TIMESTAMP(created_at)";

Result<Job> job_from_row(const db::Row& r) {
  auto kind = parse_kind(r.text_view(1));
  auto status = parse_status(r.text_view(2));
  if (!kind || !status)
    return fail("job " + r.text(0) + " has kind '" + r.text(1) + "' and status '" + r.text(2) +
                "': not ones om-backup knows");
  return Job{.id = r.text(0),
             .kind = *kind,
             .status = *status,
             .requested_by = r.text(3),
             .started_at = r.opt_integer(4),
             .finished_at = r.opt_integer(5),
             .duration_ms = r.opt_integer(6),
             .error = r.opt_text(7),
             .created_at = r.opt_integer(8)};
}

constexpr const char* k_job_columns_insert =
    "backup_jobs (id, kind, status, requested_by, started_at, finished_at, duration_ms, error, "
    "created_at) VALUES";
constexpr const char* k_job_values = "(?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?, ?, "
                                     "COALESCE(FROM_UNIXTIME(?), CURRENT_TIMESTAMP))";
constexpr const char* k_run_columns_insert =
    "backup_job_runs (job_id, host, pid, origin, log_path, repository, archive_name, archive_id) "
    "VALUES";
constexpr const char* k_run_values = "(?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_target_columns_insert =
    "backup_job_targets (job_id, target, repository, status, error, archive_name, archive_id, "
    "original_size, compressed_size, deduplicated_size, started_at, finished_at, duration_ms) "
    "VALUES";
constexpr const char* k_target_values =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?)";
constexpr const char* k_target_update =
    "ON DUPLICATE KEY UPDATE repository = VALUES(repository), status = VALUES(status), "
    "error = VALUES(error), archive_name = VALUES(archive_name), archive_id = "
    "VALUES(archive_id), original_size = VALUES(original_size), compressed_size = "
    "VALUES(compressed_size), deduplicated_size = VALUES(deduplicated_size), started_at = "
    "VALUES(started_at), finished_at = VALUES(finished_at), duration_ms = VALUES(duration_ms)";

} // namespace

std::vector<db::Value> job_row(const Job& j) {
  return {j.id,
          std::string(to_string(j.kind)),
          std::string(to_string(j.status)),
          db::fitted(j.requested_by, columns::requested_by),
          db::nullable(j.started_at),
          db::nullable(j.finished_at),
          db::nullable(j.duration_ms),
          db::fitted(j.error, columns::error),
          db::nullable(j.created_at)};
}

std::vector<db::Value> run_row(const RunDetails& d) {
  return {d.job_id,
          db::fitted(d.host, columns::host),
          db::nullable(d.pid),
          d.origin,
          db::fitted(d.log_path, columns::log_path),
          db::fitted(d.repository, columns::repository),
          db::fitted(d.archive_name, columns::archive_name),
          db::nullable(d.archive_id)};
}

std::vector<db::Value> artifact_row(const Artifact& a) {
  return {a.id,
          a.job_id,
          a.type,
          db::fitted(a.file_path, columns::file_path),
          a.file_size,
          db::nullable(a.sha256),
          db::fitted(a.manifest_path, columns::manifest_path)};
}

// A row that is there already stays as it is. Not INSERT IGNORE: that would also turn a
// value the server refuses into a silent warning.
db::BulkInsert bulk_job_rows(db::Catalog& catalog, Existing existing) {
  return db::BulkInsert(catalog, std::string("INSERT INTO ") + k_job_columns_insert, k_job_values,
                        9,
                        existing == Existing::keep
                            ? "ON DUPLICATE KEY UPDATE id = id"
                            : "ON DUPLICATE KEY UPDATE status = VALUES(status), finished_at = "
                              "VALUES(finished_at), duration_ms = VALUES(duration_ms), error = "
                              "VALUES(error)");
}

db::BulkInsert bulk_run_rows(db::Catalog& catalog) {
  return db::BulkInsert(catalog, std::string("INSERT INTO ") + k_run_columns_insert, k_run_values,
                        8, "ON DUPLICATE KEY UPDATE job_id = job_id");
}

db::BulkInsert bulk_target_rows(db::Catalog& catalog) {
  return db::BulkInsert(catalog, std::string("INSERT INTO ") + k_target_columns_insert,
                        k_target_values, 13, "ON DUPLICATE KEY UPDATE job_id = job_id");
}

Result<void> JobStore::insert(const Job& job) {
  auto r = m_catalog.execute(
      std::string("INSERT INTO ") + k_job_columns_insert + " " + k_job_values, job_row(job));
  if (!r)
    return std::unexpected(r.error().context("recording job " + job.id));
  return {};
}

Result<std::optional<Job>> JobStore::find(const std::string& id) {
  auto row = m_catalog.query_one(
      std::string("SELECT ") + k_job_columns + " FROM backup_jobs WHERE id = ?", {id});
  if (!row)
    return std::unexpected(row.error().context("reading job " + id));
  if (!*row)
    return std::optional<Job>{};
  OM_TRY(job, job_from_row(**row));
  return std::optional<Job>(std::move(job));
}

Result<Job> JobStore::adopt(const std::string& id, std::int64_t started_at) {
  auto updated = m_catalog.execute("UPDATE backup_jobs SET status = 'running', started_at = "
                                   "FROM_UNIXTIME(?) WHERE id = ? AND status = 'queued'",
                                   {started_at, id});
  if (!updated)
    return std::unexpected(updated.error().context("adopting job " + id));
  OM_TRY(job, find(id));
  if (!job)
    return fail("cannot adopt job " + id + ": no such job in backup_jobs");
  if (*updated == 0 && job->status == Status::running)
    return fail(ExitStatus::temp_fail,
                "cannot adopt job " + id + ": another run has already started it");
  if (*updated == 0)
    return fail("cannot adopt job " + id + ": it is '" + std::string(to_string(job->status)) +
                "', not 'queued'");
  return *job;
}

Result<void> JobStore::finish(const Job& job) {
  auto r = m_catalog.execute("UPDATE backup_jobs SET status = ?, finished_at = FROM_UNIXTIME(?), "
                             "duration_ms = ?, error = ?, started_at = COALESCE(started_at, "
                             "FROM_UNIXTIME(?)) WHERE id = ?",
                             {std::string(to_string(job.status)), db::nullable(job.finished_at),
                              db::nullable(job.duration_ms), db::fitted(job.error, columns::error),
                              db::nullable(job.started_at), job.id});
  if (!r)
    return std::unexpected(r.error().context("recording the result of job " + job.id));
  return {};
}

Result<void> JobStore::save_details(const RunDetails& d) {
  auto r = m_catalog.execute(
      std::string("INSERT INTO ") + k_run_columns_insert + " " + k_run_values +
          " ON DUPLICATE KEY UPDATE host = VALUES(host), pid = VALUES(pid), log_path = "
          "COALESCE(VALUES(log_path), log_path), repository = COALESCE(VALUES(repository), "
          "repository), archive_name = COALESCE(VALUES(archive_name), archive_name), archive_id "
          "= COALESCE(VALUES(archive_id), archive_id)",
      run_row(d));
  if (!r)
    return std::unexpected(r.error().context("recording details of job " + d.job_id));
  return {};
}

std::vector<db::Value> target_row(const std::string& job_id, const TargetResult& t) {
  return {job_id,
          db::fitted(t.target, columns::target_name),
          db::fitted(t.repository, columns::repository),
          std::string(to_string(t.status)),
          db::fitted(t.error, columns::error),
          db::fitted(t.archive_name, columns::archive_name),
          db::nullable(t.archive_id),
          db::nullable(t.original_size),
          db::nullable(t.compressed_size),
          db::nullable(t.deduplicated_size),
          db::nullable(t.started_at),
          db::nullable(t.finished_at),
          db::nullable(t.duration_ms)};
}

Result<void> JobStore::add_artifact(const Artifact& a) {
  auto r = m_catalog.execute(
      "INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256, "
      "manifest_path) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
      artifact_row(a));
  if (!r)
    return std::unexpected(r.error().context("recording artifact " + a.file_path));
  return {};
}

Result<void> JobStore::save_target(const std::string& job_id, const TargetResult& t) {
  auto r = m_catalog.execute(std::string("INSERT INTO ") + k_target_columns_insert + " " +
                                 k_target_values + " " + k_target_update,
                             target_row(job_id, t));
  if (!r)
    return std::unexpected(r.error().context("recording target " + t.target + " of job " + job_id));
  return {};
}

Result<void> JobStore::upsert(const JobRecord& record, const std::vector<ExtraWrite>& extras) {
  OM_TRY(tx, db::Transaction::begin(m_catalog));
  OM_TRY(existing, find(record.job.id));
  if (existing)
    OM_TRY_VOID(finish(record.job));
  else
    OM_TRY_VOID(insert(record.job));
  OM_TRY_VOID(save_details(record.details));
  for (const auto& a : record.artifacts)
    OM_TRY_VOID(add_artifact(a));
  for (const auto& t : record.targets)
    OM_TRY_VOID(save_target(record.job.id, t));
  if (record.job.status != Status::running && record.job.status != Status::queued)
    OM_TRY_VOID(end_progress(m_catalog, record.job.id, record.job.status));
  // A failed statement is rolled back alone (InnoDB): the record's rows still commit.
  for (const auto& c : record.changes) {
    if (auto written = changes::save_summary(m_catalog, record.job.id, c.target, c.summary);
        !written)
      spdlog::warn("job {}: what target {} changed was not recorded: {}", record.job.id, c.target,
                   written.error().message);
  }
  for (const auto& extra : extras) {
    if (auto written = extra(m_catalog); !written)
      spdlog::warn("job {}: {}", record.job.id, written.error().message);
  }
  return tx.commit();
}

Result<std::vector<std::string>> JobStore::close_abandoned(const std::string& host,
                                                           const std::string& except_id,
                                                           const std::string& found_by) {
  OM_TRY(rows, m_catalog.query("SELECT j.id, r.pid FROM backup_jobs j JOIN backup_job_runs r "
                               "ON r.job_id = j.id WHERE j.status = 'running' AND r.host = ? "
                               "AND j.id <> ?",
                               {host, except_id}));
  std::vector<std::string> closed;
  auto now = util::now_unix();
  for (const auto& row : rows) {
    auto id = row.text(0);
    std::string error = "abandoned: the process (pid " + row.text(1) + " on " + host +
                        ") ended without recording a result (killed or power loss); closed by " +
                        found_by;
    auto r = m_catalog.execute(
        "UPDATE backup_jobs SET status = 'failed', error = ?, finished_at = FROM_UNIXTIME(?), "
        "duration_ms = COALESCE(duration_ms, GREATEST(0, (? - UNIX_TIMESTAMP(started_at)) * 1000)) "
        "WHERE id = ? AND status = 'running'",
        {error, now, now, id});
    if (!r)
      return std::unexpected(r.error().context("closing abandoned job " + id));
    // Its targets still `running` died with it (an archive borg finished anyway is linked by
    // the next sync).
    auto t = m_catalog.execute(
        "UPDATE backup_job_targets SET status = 'failed', error = ?, finished_at = "
        "FROM_UNIXTIME(?) WHERE job_id = ? AND status = 'running'",
        {error, now, id});
    if (!t)
      return std::unexpected(t.error().context("closing abandoned job " + id));
    if (auto p = end_progress(m_catalog, id, Status::failed); !p)
      return std::unexpected(p.error().context("closing abandoned job " + id));
    closed.push_back(id);
  }
  return closed;
}

Result<std::optional<std::string>> JobStore::describe_running(const std::string& repository) {
  OM_TRY(row, m_catalog.query_one(
                  "SELECT j.id, r.host, r.pid, DATE_FORMAT(j.started_at, '%Y-%m-%d %H:%i:%s') "
                  "FROM backup_jobs j JOIN backup_job_runs r ON r.job_id = j.id "
                  "WHERE j.status = 'running' AND (r.repository = ? OR EXISTS (SELECT 1 FROM "
                  "backup_job_targets t WHERE t.job_id = j.id AND t.repository = ?)) "
                  "ORDER BY j.started_at DESC LIMIT 1",
                  {repository, repository}));
  if (!row)
    return std::optional<std::string>{};
  return std::optional<std::string>("job " + row->text(0) + " on host " + row->text(1) + ", pid " +
                                    row->text(2) + ", started " + row->text(3));
}

} // namespace om::jobs
