#pragma once

#include <functional>

#include <optional>
#include <string>
#include <vector>

#include <om/db/bulk_insert.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

namespace om::jobs {

// The values of a whole backup_jobs row, a backup_job_runs row and a backup_artifacts row
// (id, job_id, artifact_type, file_path, file_size, sha256, manifest_path), in the column
// order of the statements below; every writer of whole rows uses these. Text is fitted to its
// column (jobs/columns.hpp).
[[nodiscard]] std::vector<db::Value> job_row(const Job& job);
[[nodiscard]] std::vector<db::Value> run_row(const RunDetails& details);
[[nodiscard]] std::vector<db::Value> artifact_row(const Artifact& artifact);
// A backup_job_targets row (job_id, target, repository, status, error, archive_name,
// archive_id, the three sizes, started_at, finished_at, duration_ms).
[[nodiscard]] std::vector<db::Value> target_row(const std::string& job_id,
                                                const TargetResult& target);

// Multi-row writers of those rows (sync writes thousands at once). A job row already there is
// kept as it is, or (Existing::update_outcome: a log read again after it grew) gets the new
// status, end, duration and error.
enum class Existing { keep, update_outcome };
[[nodiscard]] db::BulkInsert bulk_job_rows(db::Catalog& catalog,
                                           Existing existing = Existing::keep);
[[nodiscard]] db::BulkInsert bulk_run_rows(db::Catalog& catalog);
[[nodiscard]] db::BulkInsert bulk_target_rows(db::Catalog& catalog);

// Reads and writes jobs, artifacts and run details in the catalog.
class JobStore {
public:
  explicit JobStore(db::Catalog& catalog) : m_catalog(catalog) {}

  [[nodiscard]] Result<void> insert(const Job& job);
  // Takes over a job the UI queued: queued → running with started_at, in one conditional
  // UPDATE, so of two runs started for one job exactly one gets it (the other: exit 75). A
  // job that does not exist or is not queued is an error that changes nothing.
  [[nodiscard]] Result<Job> adopt(const std::string& id, std::int64_t started_at);
  [[nodiscard]] Result<std::optional<Job>> find(const std::string& id);
  // Sets the final state of a job.
  [[nodiscard]] Result<void> finish(const Job& job);
  [[nodiscard]] Result<void> save_details(const RunDetails& details);
  [[nodiscard]] Result<void> add_artifact(const Artifact& artifact);
  // One target's result, written again as it changes (running, then its end).
  [[nodiscard]] Result<void> save_target(const std::string& job_id, const TargetResult& target);
  // Writes a whole record in one transaction; an existing job row is updated, artifacts
  // already there are kept (so writing the same record twice changes nothing). What the
  // record's targets changed (backup_job_changes) and `extras` (rows of our own tables about
  // the job: its progress row's end) are written in the same transaction (one commit, one
  // fsync, for a job's end); their failure is a warning in the log, never a job left
  // unrecorded.
  using ExtraWrite = std::function<Result<void>(db::Catalog&)>;
  [[nodiscard]] Result<void> upsert(const JobRecord& record,
                                    const std::vector<ExtraWrite>& extras = {});

  // Closes `running` jobs of `host` other than `except_id` as failed ("abandoned"). Call it
  // only while holding the host's backup lock: then none of them can still be running.
  [[nodiscard]] Result<std::vector<std::string>> close_abandoned(const std::string& host,
                                                                 const std::string& except_id,
                                                                 const std::string& found_by);

  // The running job of a repository (for "another backup is running" messages).
  [[nodiscard]] Result<std::optional<std::string>> describe_running(const std::string& repository);

  [[nodiscard]] db::Catalog& catalog() { return m_catalog; }

private:
  db::Catalog& m_catalog;
};

} // namespace om::jobs
