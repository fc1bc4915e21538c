#pragma once

#include <functional>
#include <string_view>

#include <string>
#include <vector>

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/prune/retention.hpp>
#include <om/util/error.hpp>

namespace om::prune {

// What `borg prune --list` decided, in borg's own words, and the ids it removed.
struct BorgPruneResult {
  std::vector<std::string> lines; // "Keeping archive (rule: daily #1): …", "Pruning archive …"
  std::vector<std::string> pruned_ids; // archives removed (or that would be, in a dry run)
  std::vector<std::string> pruned_names;
  std::vector<std::string> warnings; // a failed compact after a good prune
};

// The borg arguments of a prune limited to `prefix*` (this host's archives); empty when the
// policy keeps nothing (callers refuse that).
[[nodiscard]] std::vector<std::string> borg_prune_args(const std::string& repo,
                                                       const std::string& prefix,
                                                       const RetentionPolicy& policy, bool dry_run);

// Prunes this host's archives, then compacts (not in a dry run). Shared by om-backup-run and
// om-backup-prune. `on_phase` hears "prune", then "compact".
[[nodiscard]] Result<BorgPruneResult>
prune_borg(const borg::Client& client, const std::string& repo, const std::string& prefix,
           const RetentionPolicy& policy, bool dry_run,
           const std::function<void(std::string_view)>& on_phase = {});

// "keep_hourly=48 keep_daily=30 keep_weekly=12 keep_monthly=6"
[[nodiscard]] std::string describe_policy(const RetentionPolicy& policy);

// A target's keep_* rules: its own where its section sets them, else the options' (command
// line, config file, backup_settings). What prune applies, and what sync and check judge a
// vanished archive by.
[[nodiscard]] RetentionPolicy retention_of(const config::Target& target,
                                           const config::Options& options);

} // namespace om::prune
