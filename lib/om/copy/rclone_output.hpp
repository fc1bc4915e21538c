#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/util/error.hpp>

// What rclone writes: its --use-json-log lines on stderr (each a JSON object, the periodic
// ones with a "stats" object) and `rclone lsjson`'s listing on stdout.
namespace om::copy {

// rclone's transfer statistics (its "stats" object); counts since the command started.
struct Stats {
  std::int64_t bytes = 0;       // transferred
  std::int64_t total_bytes = 0; // to transfer, as far as known
  std::int64_t transfers = 0;   // files transferred
  std::int64_t total_transfers = 0;
  std::int64_t deletes = 0;
  std::int64_t renames = 0; // moves into --backup-dir
  std::int64_t checks = 0;
  std::int64_t errors = 0;
  double speed = 0;                // bytes per second
  std::optional<std::int64_t> eta; // seconds
  bool fatal_error = false;

  // Adds another command's counts (a copy is several rclone commands).
  Stats& operator+=(const Stats& other);
};

// One --use-json-log line.
struct LogLine {
  std::string level; // debug | info | notice | warning | error | critical
  std::string message;
  std::string object; // the file it is about, when it is about one
  std::optional<Stats> stats;
  bool parsed = false; // false: not JSON (rclone's own text before logging started)
};

[[nodiscard]] LogLine parse_log_line(std::string_view line);

// One entry of `rclone lsjson` (a file, or a folder with --dirs-only).
struct RemoteFile {
  std::string path;
  std::int64_t size = 0;
  bool is_dir = false;
};

// The whole listing; anything that is not rclone's array of objects with a Path and a
// non-negative Size is an error (never an empty destination).
[[nodiscard]] Result<std::vector<RemoteFile>> parse_listing(std::string_view json);

} // namespace om::copy
