#pragma once

#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/jobs/store.hpp>
#include <om/progress/job_progress.hpp>
#include <om/util/error.hpp>

namespace om::attempt {

// The life of one job in the catalog, shared by every kind of backup: created (or adopted
// from the UI's queue) as `running`, then finished once with its artifacts. When the catalog
// is unreachable the record goes to the spool instead, and the backup goes on.
class JobRecorder {
public:
  // `catalog` may be null: the catalog is down and everything will be spooled.
  JobRecorder(db::Catalog* catalog, std::string state_dir);

  // Creates a new running job, or goes on with `adopted` (a queued job this run has already
  // claimed with JobStore::adopt), and starts its progress row. `target`: the borg target
  // whose previous backup's duration estimates this one's progress.
  [[nodiscard]] Result<void> start(jobs::Kind kind, const std::string& requested_by,
                                   const std::optional<jobs::Job>& adopted,
                                   jobs::RunDetails details, const std::string& target = "");
  [[nodiscard]] const jobs::JobRecord& record() const { return m_record; }
  [[nodiscard]] const std::string& job_id() const { return m_record.job.id; }
  // What the job is doing, for the UI (backup_job_progress); ended by finish(). Off: the row
  // is never written (call before start()).
  [[nodiscard]] progress::JobProgress& progress() { return m_progress; }
  void record_progress(bool on) { m_record_progress = on; }

  void set_log_path(const std::string& path);
  void set_archive(const std::string& name, const std::string& id);
  void add_artifact(jobs::Artifact artifact);
  // A target's result, recorded as it changes (running, then its end).
  void set_target(const jobs::TargetResult& target);
  // What a target's archive changed: part of the record (written with the job's end, in its
  // transaction; spooled with it).
  void add_changes(changes::TargetSummary changes);

  // Ends the job: status, error, finished_at, duration, with its progress row's end and what
  // it changed in the same transaction. Falls back to the spool when the catalog write fails;
  // returns the spool path in that case.
  [[nodiscard]] Result<std::optional<std::string>> finish(jobs::Status status,
                                                          const std::optional<std::string>& error);

private:
  void save_details();

  db::Catalog* m_catalog;
  std::string m_state_dir;
  jobs::JobRecord m_record;
  std::int64_t m_started_ms = 0;
  progress::JobProgress m_progress;
  bool m_record_progress = true;
};

} // namespace om::attempt
