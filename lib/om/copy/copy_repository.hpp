#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/copy/plan.hpp>
#include <om/copy/rclone.hpp>
#include <om/log/progress_line.hpp>
#include <om/progress/job_progress.hpp>
#include <om/util/error.hpp>

namespace om::copy {

// How every destination of one om-backup-copy is copied.
struct CopySettings {
  const Rclone* rclone = nullptr;
  int max_delete_percent = 20;
  int keep_days = 30;
  bool force = false; // the delete guard is overruled
  std::int64_t now = 0;
  log::ProgressLine* progress = nullptr;
  progress::JobProgress* job_progress = nullptr; // the job's progress row: bytes sent
};

// What one repository's copy to one destination did.
struct CopyResult {
  CopyPlan plan;
  Stats stats;                     // rclone's, summed over the steps
  std::int64_t uploaded_files = 0; // what went over the network (rclone's "Copied" files)
  std::int64_t uploaded_bytes = 0;
  std::string backup_dir;
};

// The destination's folder for files a copy replaces or deletes, dated by `now`:
// REMOTE:PATH-replaced/2026-11-27T020000Z. A destination without a folder (REMOTE: alone)
// has no sibling for it and is a configuration error.
[[nodiscard]] Result<std::string> backup_dir_root(const std::string& destination);
[[nodiscard]] std::string backup_dir_for(const std::string& destination_root, std::int64_t now);

// The files of a repository on this machine, lock files left out (paths relative to it).
[[nodiscard]] Result<std::vector<RemoteFile>> local_files(const std::string& repo);

// The copy's plan, decided from both listings before anything is changed.
[[nodiscard]] Result<CopyPlan> plan_destination(const CopySettings& s,
                                                const std::vector<RemoteFile>& source,
                                                const std::string& destination);

// Copies a repository on this machine to `destination`, with borg's lock already held by the
// caller. The guard decides first (exit 2 with its reason, the destination untouched); then
// new segments, then the index and the rest, then deletions, so an interrupted copy leaves
// the destination's previous transaction whole. Replaced and deleted files go to the dated
// backup dir; dated dirs older than keep_days are purged afterwards.
[[nodiscard]] Result<CopyResult> copy_repository(const CopySettings& s, const std::string& repo,
                                                 const std::string& destination);

} // namespace om::copy
