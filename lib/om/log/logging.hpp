#pragma once

#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::log {

// Sets up logging for a tool: stderr gets warnings as "<tool>: warning: …" (quiet on success,
// as cron wants), -v adds info, -vv debug (including each child's argv).
void init(std::string_view tool, int verbosity);

// Opens <log_dir>/<prefix>-YYYYMMDD-HHMMSS.log (a new file, mode 0640) and sends every log
// line there too, info and up; the first line is `header`. Returns the file's path.
// ("backup" logs are the ones om-backup-sync reads.)
[[nodiscard]] Result<std::string> open_run_log(const std::string& log_dir,
                                               const std::string& header,
                                               const std::string& prefix = "backup");
// Flushes and detaches the run log.
void close_run_log();

// The last lines logged (info and up, as the run log has them), at most `max_bytes` of them:
// what a monitoring ping carries.
[[nodiscard]] std::string recent(std::size_t max_bytes);

} // namespace om::log
