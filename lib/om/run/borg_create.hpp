#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <om/borg/client.hpp>
#include <om/log/progress_line.hpp>
#include <om/run/borg_backup.hpp>

namespace om::run {

// What the `borg create` of every target, and the one dump they share, did.
struct CreateStep {
  std::vector<borg::Invocation> creates; // one per target, in order
  std::optional<proc::Outcome> dump;
  std::string dump_error; // first line mysqldump printed on stderr
};

// Runs every target's `borg create` at once. With a database, mysqldump runs once: into the
// one borg directly, or through us to each borg's stdin (a borg that fails stops receiving,
// the others go on; the dump waits for the slowest reader). The first target shows progress.
[[nodiscard]] Result<CreateStep> create_archives(std::span<const BorgBackup* const> targets,
                                                 log::ProgressLine& progress);

// Every borg line goes to the job's log (named by target when there are several); progress
// goes to the terminal only.
[[nodiscard]] std::function<void(const borg::LogLine&)> log_to_job(log::ProgressLine* progress,
                                                                   const std::string& target = "");

} // namespace om::run
