#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace om::progress {

// What a running job is doing: its row in backup_job_progress. Counts are borg's (files and
// bytes read, compressed, new to the repository) for a borg backup, bytes written for a legacy
// one, bytes uploaded for a copy. `status` is running until the job ends, then its end status.
struct Snapshot {
  std::string status = "running";
  std::string phase;
  std::int64_t files = 0;
  std::int64_t bytes_processed = 0;
  std::int64_t compressed_bytes = 0;
  std::int64_t deduplicated_bytes = 0;
  std::string current_path;
  std::optional<double> percent;
  std::optional<std::int64_t> eta_seconds;
  std::optional<std::int64_t> bytes_total; // what there is to process, when known (a restore)
  std::optional<std::int64_t> started_at;  // epoch seconds
  std::optional<std::int64_t> updated_at;  // epoch seconds; set by the catalog
};

// How far a job is, from how long it has run and how long the previous successful job of its
// kind and target took: a percentage that stays below 100 until the job ends, and the seconds
// left (nullopt once it runs longer than the previous one: then nobody knows).
struct Estimate {
  std::optional<double> percent;
  std::optional<std::int64_t> eta_seconds;
};
[[nodiscard]] Estimate estimate(std::int64_t elapsed_ms, std::optional<std::int64_t> previous_ms);
// The same from how much of a known total is done: below 100 until the end, the seconds left at
// the pace so far (nullopt until something is done).
[[nodiscard]] Estimate estimate_from_bytes(std::int64_t elapsed_ms, std::int64_t done,
                                           std::int64_t total);

} // namespace om::progress
