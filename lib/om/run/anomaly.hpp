#pragma once

#include <optional>
#include <string>

#include <om/changes/change.hpp>
#include <om/run/borg_backup.hpp>

namespace om::run {

// A backup's changes against its target's last successful backups (backup_job_changes, the
// request's anomaly rule). An anomaly is raised as an integrity event at once — from then on
// nothing is pruned on any target, this run's prune step included, until it is acknowledged —
// and returned as the job's warning "anomaly: …". A first backup (all added) is never one.
[[nodiscard]] std::optional<std::string>
judge_changes(const BorgBackup& b, const changes::Summary& summary, const std::string& archive);

} // namespace om::run
