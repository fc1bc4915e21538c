#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace om::changes {

// One difference between two backups: what happened to `path` (added, removed, modified —
// its content —, mode, owner, link; time — only its timestamps, shown with --all), with the
// sizes before and after where they are known.
struct Change {
  std::string path;
  std::string change;
  std::optional<std::int64_t> size_before;
  std::optional<std::int64_t> size_after;
};

// What a backup changed since the previous archive of its target (backup_job_changes): counts
// and bytes of added, modified and removed regular files, and the largest changes. basis: how
// it was found — files (the file index of the previous archive and borg's per-file status),
// diff (borg diff against the previous archive), first (there was none: all is added).
struct Summary {
  std::string basis;
  std::optional<std::string> previous_archive;
  std::int64_t added_files = 0;
  std::int64_t added_bytes = 0;
  std::int64_t modified_files = 0;
  std::int64_t modified_bytes = 0; // their sizes now
  std::int64_t removed_files = 0;
  std::int64_t removed_bytes = 0;
  std::vector<Change> largest; // largest first, at most k_largest

  static constexpr std::size_t k_largest = 20;
  // Counts a change and keeps it if it is among the largest.
  void add(Change change);
};

// What one target's archive of a job changed.
struct TargetSummary {
  std::string target;
  Summary summary;
};

// The size a change is ranked by: the larger of before and after.
[[nodiscard]] std::int64_t weight(const Change& change);

} // namespace om::changes
