#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/run/borg_backup.hpp>
#include <om/run/borg_plan.hpp>
#include <om/run/request.hpp>

namespace om::run {

// Where a borg run goes: its targets, each with the client that reaches it and its plan.
struct BorgTargets {
  std::vector<config::Target> targets;
  std::vector<borg::Client> clients;
  std::vector<BorgPlan> plans;
  std::optional<Error> plan_error; // the job fails with it (nothing to back up, say)

  // The per-target backups of one job, in target order.
  [[nodiscard]] std::vector<BorgBackup> backups(const config::Options& options,
                                                const RunRequest& request,
                                                attempt::JobRecorder& recorder,
                                                jobs::JobStore* store) const;
};

// Resolves the targets (--target, the config file's sections) and their clients; a bad
// --target or passphrase file is an error here (exit 78, before any job exists), a plan that
// cannot work is kept as plan_error for the job to record.
[[nodiscard]] Result<BorgTargets> borg_targets(const config::Options& options,
                                               const RunRequest& request, std::int64_t now_us,
                                               const std::string& host, const std::string& user);

} // namespace om::run
