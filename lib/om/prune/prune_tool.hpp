#pragma once

#include <string>

#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::prune {

struct PruneRequest {
  std::string kind = "all"; // borg | legacy | all
  bool list = false;        // print keep/prune per backup, in borg's wording
  std::string archive_format = "om-{hostname}-{now:%Y-%m-%dT%H:%M:%S}"; // gives the prefix
};

// Every option of om-backup-prune (also read by `om-backup-report config`).
void add_prune_options(config::Cli& cli, PruneRequest& request);

// om-backup-prune: applies backup_settings' retention (or the command line's) to this host's
// borg archives and to the legacy files, under the backup lock. Every keep_* 0 is refused. While
// an anomaly is not acknowledged nothing is pruned: the reason is a warning (exit 1).
[[nodiscard]] Result<ExitStatus> run_prune(config::Options& options, const PruneRequest& request);

} // namespace om::prune
