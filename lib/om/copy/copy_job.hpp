#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/attempt/outcome.hpp>
#include <om/attempt/recorder.hpp>
#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/copy/copy_repository.hpp>
#include <om/copy/copy_tool.hpp>

namespace om::copy {

// What the work of one copy job needs; the job exists and its locks are held.
struct CopyJob {
  const config::Options& options;
  const CopyRequest& request;
  const std::vector<config::Target>& targets; // those with copy-to destinations
  const Rclone& rclone;
  attempt::JobRecorder& recorder;
  std::int64_t now = 0;
};

// Each target in turn: borg check --repository-only (unless --no-check), borg's lock held,
// each destination copied; an artifact and a manifest per destination copied. One
// destination failing does not stop the others; the job fails with the first failure's exit
// status and every failure named.
[[nodiscard]] attempt::Outcome copy_targets(const CopyJob& job);

// The targets that have destinations, checked: on this machine (rclone reads the files), each
// destination a REMOTE:PATH with a folder. Exit 78 otherwise, naming the target.
[[nodiscard]] Result<std::vector<config::Target>> copy_sources(const config::Options& options);

// --dry-run: the plan of every destination, changing nothing. A guard that would stop a copy
// makes it exit 2.
[[nodiscard]] Result<ExitStatus> print_copy_plan(const config::Options& options,
                                                 const std::vector<config::Target>& targets,
                                                 const Rclone& rclone, bool force);

} // namespace om::copy
