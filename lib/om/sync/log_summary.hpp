#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::sync {

// What a backup log says happened, read tolerantly: the legacy script's timestamped lines
// with borg's --stats block and errors, or om-backup-run's own log (its header names the job).
struct LogSummary {
  enum class Outcome {
    success,     // an archive was made (fingerprint) or the script said it completed
    failed,      // an error or a failure line, and no archive
    in_progress, // no result yet: the run may still be writing
  };
  Outcome outcome = Outcome::in_progress;
  std::optional<std::string> om_job_id;   // header of an om-backup-run log
  std::optional<std::int64_t> first_time; // epoch seconds of the first timestamped line
  std::optional<std::int64_t> last_time;
  std::string host;       // "Starting backup (pid N, host H)"
  std::string repository; // "Repository: …"
  std::string archive_name;
  std::string fingerprint;                   // 64 hex
  std::optional<std::int64_t> archive_start; // "Time (start): …"
  std::optional<std::int64_t> archive_end;
  std::optional<double> duration_s;
  std::optional<std::int64_t> nfiles;
  std::vector<std::string> warnings;
  std::vector<std::string> errors;

  // The job's error column: the first error, or "warning: <first> (+N more)", or nullopt.
  [[nodiscard]] std::optional<std::string> error_text() const;
};

// Parses a whole log. Times in it are local times of `tz` (the machine that wrote it).
[[nodiscard]] LogSummary parse_backup_log(std::string_view text, const date::time_zone* tz);

} // namespace om::sync
