#pragma once

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/jobs/store.hpp>
#include <om/run/borg_plan.hpp>
#include <om/run/outcome.hpp>
#include <om/run/recorder.hpp>
#include <om/run/request.hpp>

namespace om::run {

// Everything a borg backup works with.
struct BorgBackup {
  const config::Options& options;
  const RunRequest& request;
  const BorgPlan& plan;
  const borg::Client& client;
  JobRecorder& recorder;
  jobs::JobStore* store; // null while the catalog is down
};

// Pre-flight, init if missing, create (with the dump streamed in), prune, compact, verify,
// and the artifact. Every failure comes back as an Outcome; nothing is thrown or skipped.
[[nodiscard]] Outcome run_borg_backup(const BorgBackup& backup);

// The lines --dry-run prints.
[[nodiscard]] std::vector<std::string> describe_borg_backup(const BorgBackup& backup);

} // namespace om::run
