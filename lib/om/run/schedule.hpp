#pragma once

#include <cstdint>
#include <string>

#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::run {

// For `om-backup-run --if-due` from a frequent cron line: true when backups are enabled and
// the schedule (backup_settings.schedule) has had a due minute since the last scheduled run
// started on this host (kept in <state-dir>/last-scheduled-run). A machine that was off over
// a due time catches up once.
[[nodiscard]] Result<bool> is_due(const config::Options& options, std::int64_t now);

// Notes that a scheduled run starts now.
[[nodiscard]] Result<void> mark_scheduled_run(const config::Options& options, std::int64_t now);

} // namespace om::run
