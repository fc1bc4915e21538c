#pragma once

#include <span>

#include <om/attempt/outcome.hpp>
#include <om/attempt/recorder.hpp>
#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/jobs/store.hpp>
#include <om/run/borg_plan.hpp>
#include <om/run/request.hpp>

namespace om::run {

// Everything the backup to one target works with.
struct BorgBackup {
  const config::Options& options;
  const RunRequest& request;
  const config::Target& target;
  const BorgPlan& plan;
  const borg::Client& client;
  attempt::JobRecorder& recorder;
  jobs::JobStore* store; // null while the catalog is down
};

// One job, one archive per target: pre-flight and init if missing for each, then every
// target's `borg create` at once with the database dumped once and streamed to all of them,
// then per target verify, artifact, prune, compact. A target that fails fails alone; the job
// is a success when all succeeded, a success with a warning naming the failed targets (exit 1)
// when some did, a failure when none did. Nothing is thrown or skipped.
[[nodiscard]] attempt::Outcome run_borg_backup(std::span<const BorgBackup> targets);

// The lines --dry-run prints.
[[nodiscard]] std::vector<std::string> describe_borg_backup(std::span<const BorgBackup> targets);

} // namespace om::run
