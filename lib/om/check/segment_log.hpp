#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/borg/types.hpp>

namespace om::check {

// What `borg check --repository-only --info --progress [--max-duration S]` covered, read from
// its --log-json lines (an SSH target's borg serve sends them prefixed "Remote: "): where it
// started, where it stopped, whether it reached the last segment (a cycle is complete), how
// far through the repository's segment files it got, and the damage it reported.
struct SegmentCoverage {
  std::optional<std::int64_t> first_segment; // "skipping to segments >= N" (partial checks)
  std::optional<std::int64_t> last_segment;  // the last segment checked
  bool cycle_complete = false;               // "finished segment check at segment N"
  std::int64_t position = -1;                // index of the file being checked (progress)
  std::int64_t segment_files = 0;            // how many there are (progress)
  std::vector<std::string> damage;           // borg's ERROR messages

  // Takes one line of borg's stderr.
  void observe(const borg::LogLine& line);
  // The share of the repository's segment files checked in this cycle so far: 1 once the
  // cycle is complete.
  [[nodiscard]] double cycle_share() const;
  // "segments 12 to 57 of 230 files", for backup_checks.covered.
  [[nodiscard]] std::string describe() const;
};

} // namespace om::check
