#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <om/borg/client.hpp>
#include <om/changes/collector.hpp>
#include <om/log/progress_line.hpp>
#include <om/progress/job_progress.hpp>
#include <om/run/borg_backup.hpp>

namespace om::run {

// What the `borg create` of every target, and the one dump they share, did.
struct CreateStep {
  std::vector<borg::Invocation> creates; // one per target, in order
  std::optional<proc::Outcome> dump;
  std::string dump_error; // first line mysqldump printed on stderr
};

// Who watches the creates: the first target's progress goes to the terminal and to the job's
// progress row (phase dump while borg reads the dump, then create); each target's per-file
// status (asked for by its `list_args`) to its collector (null: nobody).
struct CreateWatchers {
  log::ProgressLine& terminal;
  progress::JobProgress* job = nullptr;
  std::vector<changes::ChangeCollector*> collectors; // one per target, or empty
  std::vector<std::vector<std::string>> list_args;   // one per target, or empty
};

// Runs every target's `borg create` at once. With a database, mysqldump runs once: into the
// one borg directly, or through us to each borg's stdin (a borg that fails stops receiving,
// the others go on; the dump waits for the slowest reader).
[[nodiscard]] Result<CreateStep> create_archives(std::span<const BorgBackup* const> targets,
                                                 const CreateWatchers& watchers);

// Every borg line goes to the job's log (named by target when there are several); progress
// goes to the terminal only.
[[nodiscard]] std::function<void(const borg::LogLine&)> log_to_job(log::ProgressLine* progress,
                                                                   const std::string& target = "");

} // namespace om::run
