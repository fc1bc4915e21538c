#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/util/error.hpp>

namespace om::config {

// A borg repository the backups go to. `local` is --repo (BORG_REPO, borg_repo_path); every
// further one is a [target.NAME] section of the config file. Unset numbers take the
// command line's or the settings' values.
struct Target {
  std::string name;
  std::string repo;            // a path or ssh://user@host:port/path
  std::string passphrase_file; // empty: --passphrase-file / the environment (local only)
  std::string ssh_key;         // ssh -i
  std::string known_hosts;     // ssh UserKnownHostsFile, host keys checked strictly
  std::string rsh;             // the ssh command to start from (default: ssh)
  std::string remote_path;     // borg on the remote side
  std::optional<int> upload_ratelimit_kib;
  std::optional<int> lock_wait_s;
  std::optional<int> checkpoint_interval_s; // borg create's (default 1800 s)
  std::optional<int> keep_hourly;
  std::optional<int> keep_daily;
  std::optional<int> keep_weekly;
  std::optional<int> keep_monthly;
  bool prune = true;                // no: retention is left to the repository's owner (append-only)
  std::vector<std::string> copy_to; // rclone destinations (REMOTE:PATH) of om-backup-copy
  // om-backup-check's limits for this target (empty: the tool's check-budget, ...)
  std::string check_budget;
  std::string check_data_every;
  std::string check_bytes_per_run;
  std::string defined_at; // "config file F line N", for messages; empty for local

  [[nodiscard]] bool is_remote() const { return repo.starts_with("ssh://"); }
};

inline constexpr const char* k_local_target = "local";

struct Options;

// The local target: `repo` (a path, an ssh:// URL or empty), reached with --passphrase-file or
// the environment's passphrase.
[[nodiscard]] Target local_target(const Options& options, const std::string& repo);

// The targets a run, sync, prune, report or restore works on: `local` (when a repository is
// set) and the config file's, in that order, limited to --target. Numbers a target leaves
// unset are the options'. An unknown --target name, or two targets with one repository, is a
// configuration error (exit 78) naming where they are defined.
[[nodiscard]] Result<std::vector<Target>> resolve_targets(const Options& options);

} // namespace om::config
