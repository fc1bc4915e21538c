#pragma once

#include <optional>
#include <string>

#include <om/attempt/notify.hpp>
#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::copy {

// What om-backup-copy was asked to do, beyond the shared Options.
struct CopyRequest {
  bool no_check = false; // skip borg check --repository-only before copying (logged)
  bool force = false;    // copy even when the delete guard would stop it
  std::optional<std::string> adopt_job;
  std::string requested_by;       // empty: cron, or the login name on a terminal
  attempt::NotifySettings notify; // sendmail, --on-success, --on-failure
  int borg_timeout_s = 86400;
  bool progress = false; // stderr is a terminal
};

// What om-backup-copy's command line says beyond CopyRequest.
struct CopyCommandLine {
  std::string job_id; // --job-id / $OM_BACKUP_JOB_ID
};

// Every option of om-backup-copy (also read by `om-backup-report config`).
void add_copy_options(config::Cli& cli, CopyRequest& request, CopyCommandLine& line);

// Copies every target's repository that has copy-to destinations to each of them, as one job
// of kind `copy`: locked like a backup (this host's lock, the catalog's lock of each
// repository, borg's own lock while rclone runs), checked first, guarded, recorded with an
// artifact per destination copied, spooled when the catalog is down.
[[nodiscard]] Result<ExitStatus> run_copy(config::Options& options, const CopyRequest& request);

} // namespace om::copy
