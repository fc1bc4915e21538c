#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/progress/job_progress.hpp>
#include <om/util/error.hpp>
#include <om/util/exit_status.hpp>

namespace om::restore {

// What one restore is: its row in backup_restores.
struct RestoreInfo {
  std::string id;   // chosen by the caller (--restore-id, to follow it) or random
  std::string what; // files | db
  std::string source;
  std::optional<std::string> source_job_id;
  std::string destination;
  std::string requested_by;
  std::optional<std::string> log_path;
};

// A restore's row in backup_restores: written when it starts (running), kept current while it
// runs by a progress::JobProgress (its own connection, about once a second), ended with its
// result. A restore must work without the catalog (the server it protected is lost): one that
// cannot be reached leaves the restore unrecorded, said once in the log, and never fails it.
class RestoreRecord {
public:
  // Records the restore as running, when the catalog can take it. An id that is already there
  // is refused (64): the caller that chose it would follow another restore.
  [[nodiscard]] static Result<std::unique_ptr<RestoreRecord>> begin(const config::Options& options,
                                                                    RestoreInfo info);
  ~RestoreRecord() = default;
  RestoreRecord(const RestoreRecord&) = delete;
  RestoreRecord& operator=(const RestoreRecord&) = delete;

  // Where the work reports how far it is (it only remembers when the restore is unrecorded).
  [[nodiscard]] progress::JobProgress& progress() { return m_progress; }
  // Writes the end: success, cancelled (interrupted) or failed with the error's message.
  void end(const Result<ExitStatus>& result);

private:
  RestoreRecord(const config::Options& options, RestoreInfo info);
  [[nodiscard]] Result<void> insert(db::Catalog& catalog) const;

  const config::Options& m_options;
  RestoreInfo m_info;
  std::optional<db::Catalog> m_catalog;
  std::int64_t m_started_ms = 0;
  progress::JobProgress m_progress;
};

// How a drill ends: success, cancelled (interrupted) or failed with the error's message.
[[nodiscard]] jobs::Status ending_of(const Result<ExitStatus>& result);

// One restore drill (om-backup-restore verify) as its row in backup_restore_drills, which the
// digest shows.
struct Drill {
  std::int64_t started_at = 0; // unix seconds
  std::int64_t duration_ms = 0;
  std::string source; // what was restored: "the newest backup", an archive, a cloud copy
  jobs::Status status = jobs::Status::success;
  std::optional<std::string> error;
};

// Records a drill; a catalog that cannot take it costs a warning, never the drill's result.
void record_drill(const config::Options& options, const Drill& drill);

} // namespace om::restore
