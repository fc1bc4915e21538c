#pragma once

#include <string>

#include <om/config/cli.hpp>
#include <om/run/request.hpp>

namespace om::run {

// What om-backup-run's command line says beyond RunRequest.
struct RunCommandLine {
  std::string job_id; // --job-id / $OM_BACKUP_JOB_ID
};

// Every option of om-backup-run: the shared groups it uses and its own (what to back up, how,
// whom to tell). Also read by `om-backup-report config`, which shows every setting of the suite.
void add_run_options(config::Cli& cli, RunRequest& request, RunCommandLine& line);

} // namespace om::run
