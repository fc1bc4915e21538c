#pragma once

#include <optional>
#include <string>

#include <om/attempt/notify.hpp>
#include <om/changes/anomaly.hpp>

namespace om::run {

// What om-backup-run was asked to do, beyond the shared Options.
struct RunRequest {
  std::string kind = "borg";            // borg | files | db | both
  bool kind_given = false;              // --kind was said (else an adopted job's kind rules)
  std::optional<std::string> adopt_job; // --job-id / $OM_BACKUP_JOB_ID
  std::string requested_by;             // empty: cron, or the login name on a terminal
  // Microseconds: two runs in one second (a rerun right after a killed one) never collide.
  std::string archive_format = "om-{hostname}-{now:%Y-%m-%dT%H:%M:%S.%f}";
  std::string encryption = "repokey";
  std::string mysqldump = "mysqldump";
  attempt::NotifySettings notify; // mail, --on-success, --on-failure
  int borg_timeout_s = 86400;
  bool if_due = false;
  bool progress = false;        // stderr is a terminal
  bool record_progress = true;  // backup_job_progress kept current while the job runs
  bool record_changes = true;   // what each borg backup changed (backup_job_changes)
  changes::AnomalyRule anomaly; // anomaly-factor, anomaly-min-files: a mass change freezes prune
  // --copy: after a successful borg backup, once its job is recorded and its locks are let
  // go, om-backup-copy's copy as a job of its own; its failure is the run's exit.
  bool copy = false;
};

} // namespace om::run
