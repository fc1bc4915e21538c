#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::sync {

// Where om-backup-sync reads archives from when not from the repository itself.
struct SyncRequest {
  std::string borg_list_json; // FILE or "-" (stdin)
  std::string borg_info_json; // FILE or "-"
  std::string borg_tz;        // zone of the times in those files (default: this machine's)
  std::string log_tz;         // zone of the times in the logs (default: this machine's)
};

// Every option of om-backup-sync (also read by `om-backup-report config`).
void add_sync_options(config::Cli& cli, SyncRequest& request);

// What a sync did (or, with --dry-run, would do).
struct SyncSummary {
  std::size_t archives_seen = 0;
  std::size_t jobs_created = 0;
  std::size_t jobs_enriched = 0;
  std::size_t failed_runs = 0;
  std::size_t artifacts_removed = 0;
  std::size_t archives_vanished = 0; // found gone this time; open events fail the sync (exit 2)
  std::size_t spool_flushed = 0;
  std::size_t abandoned_closed = 0;
  std::size_t logs_read = 0;
  std::size_t logs_unchanged = 0;
  std::size_t logs_skipped = 0;            // could not be ingested: a warning each, exit 1
  std::vector<std::string> targets_failed; // could not be read: a warning each, exit 1
  std::optional<Error> vanished;           // archives vanished, not yet acknowledged: exit 2

  [[nodiscard]] std::string to_json(bool dry_run) const;
  [[nodiscard]] std::string to_text(bool dry_run) const;
};

// Reconciles the borg repository and the log folder into the job history, so backups made by
// scripts, by hand or by other hosts appear in the UI (docs/sync.md).
[[nodiscard]] Result<SyncSummary> sync_history(config::Options& options,
                                               const SyncRequest& request);

// om-backup-sync: sync_history, then what changed (--json, -v, --dry-run); exit 1 when a log
// was skipped or a target could not be read.
[[nodiscard]] Result<ExitStatus> run_sync(config::Options& options, const SyncRequest& request);

} // namespace om::sync
