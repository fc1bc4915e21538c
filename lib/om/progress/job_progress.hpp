#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/progress/snapshot.hpp>

namespace om::progress {

// Where a progress row goes: how a snapshot is written, and how long the previous comparable
// run took (for percent and ETA from time; empty, or nullopt: none).
struct RowWriter {
  std::function<Result<void>(db::Catalog&, const Snapshot&)> save;
  std::function<Result<std::optional<std::int64_t>>(db::Catalog&)> previous_ms;
};

// A running job's row in backup_job_progress (or a restore's in backup_restores: start() with
// its RowWriter), kept current about once a second by a thread with a connection of its own:
// the job's work only hands over numbers (a mutex, no I/O), so a slow or vanished catalog never
// slows or fails the backup. Updates the catalog cannot take are skipped (the next try is a few
// seconds later); the end state, from finish(), is written with the job's own end
// (JobRecorder::finish, one transaction; RestoreRecord::end for a restore).
// Until start() it only remembers (a dry run, a job the catalog does not know).
class JobProgress {
public:
  JobProgress() = default;
  ~JobProgress();
  JobProgress(const JobProgress&) = delete;
  JobProgress& operator=(const JobProgress&) = delete;

  // Starts writing job `job_id`'s row to the catalog `where` names. `kind` and `target` find
  // the previous job whose duration estimates percent and ETA.
  void start(db::ConnectionOptions where, const std::string& job_id, jobs::Kind kind,
             std::string target);
  // Starts writing the row `row` says (a restore's), to the catalog `where` names.
  void start(db::ConnectionOptions where, RowWriter row);

  // A new step: dump, create, prune, compact, verify, files, db, check, copy.
  void phase(std::string_view name);
  // Goes to step `next` if, and only if, the job is in step `current` now.
  void phase_after(std::string_view current, std::string_view next);
  // What borg (or our own reading) says it has done so far in this phase.
  void counts(std::int64_t files, std::int64_t bytes, std::int64_t compressed,
              std::int64_t deduplicated, std::string_view path);
  void bytes(std::int64_t processed);
  // How much of a known total is done (percent and ETA then come from it), and where.
  void position(std::int64_t done, std::int64_t total, std::string_view path);
  // The end: stops the thread (no more writes of its own) and returns the row's end state —
  // `status`, phase "done", 100 % when it succeeded — for the caller to write with the job's
  // own end, in one transaction. nullopt when the row was never started.
  [[nodiscard]] std::optional<Snapshot> finish(jobs::Status status);

  [[nodiscard]] Snapshot snapshot() const;

private:
  void run(const db::ConnectionOptions& where, const RowWriter& row);
  void stop();

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  Snapshot m_state;
  std::int64_t m_started_ms = 0;
  bool m_stopping = false;
  bool m_last_write = true; // the thread writes once more as it stops (not after finish())
  std::thread m_thread;
};

} // namespace om::progress
