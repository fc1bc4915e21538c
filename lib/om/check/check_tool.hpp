#pragma once

#include <string>
#include <vector>

#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::check {

// What om-backup-check was asked to do, beyond the shared Options.
struct CheckRequest {
  std::vector<std::string> levels; // --level: repository, archives, data (empty: all three)
  bool if_due = false;
  std::string schedule = "30 4 * * *"; // check-schedule, for --if-due
  std::string budget = "1h";           // check-budget: wall time per target per run (0: none)
  std::string data_every = "30d";      // check-data-every: the local --verify-data
  std::string bytes_per_run = "4G";    // check-bytes-per-run: the offsite data rotation
  int last = 0;                        // archives level: only the newest N archives
  std::int64_t ack = 0;                // --ack EVENT: acknowledge an integrity event instead
  std::string why;                     // --why: the reason, kept with the acknowledgement
  std::string requested_by;            // who acknowledges (default: the login name)
};

// Every option of om-backup-check (also read by `om-backup-report config`).
void add_check_options(config::Cli& cli, CheckRequest& request);

// om-backup-check: verifies each target (or --target's) at each level within its budget,
// one check at a time on this host and per repository across hosts, never beside a backup of
// it; records every level's result in backup_checks. Damage found, or a check that could not
// be done, is exit 2 naming the target; so is an archive that vanished from a target, until
// `--ack EVENT --why TEXT` acknowledges it. A target skipped because its backup runs is exit 75.
[[nodiscard]] Result<ExitStatus> run_check(config::Options& options, const CheckRequest& request);

} // namespace om::check
