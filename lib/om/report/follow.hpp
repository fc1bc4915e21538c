#pragma once

#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/exit_status.hpp>

namespace om::report {

struct FollowRequest {
  std::optional<std::string> job_id; // none: the running job (the newest, if several)
  std::optional<std::string> host;   // with no job: only this host's
  bool wait = false; // with no job running: wait for the next to start; with an id: for it to
                     // appear (a restore started with --restore-id writes its row as it starts)
  bool json = true;  // JSON lines; else a view for a terminal
};

// Follows one job until it ends (docs/report.md, `follow`): its phase, progress (from
// backup_job_progress, written by whichever host runs it) and log lines (when its log file
// can be read here), as JSON lines {"type": "phase"|"progress"|"log"|"end", ...}; the `end`
// object carries the job's status and exit code, which is then this command's exit status
// (0 success, 1 success with warnings, 2 failed, 130 cancelled). A job that has already ended
// gets its end at once. An id that is no job but a restore (backup_restores) is followed the
// same way, from its row there.
[[nodiscard]] Result<ExitStatus> follow_job(db::Catalog& catalog, const FollowRequest& request);

} // namespace om::report
