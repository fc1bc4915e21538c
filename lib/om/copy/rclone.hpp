#pragma once

#include <functional>
#include <string>
#include <vector>

#include <om/copy/rclone_output.hpp>
#include <om/proc/command.hpp>
#include <om/util/error.hpp>

namespace om::copy {

// How one rclone command ended, with its log sorted out.
struct RcloneRun {
  std::string what; // "rclone copy", for messages
  proc::Outcome outcome;
  Stats stats;                     // the last stats rclone gave
  std::vector<std::string> errors; // its error lines, and text it printed outside the log
  [[nodiscard]] bool ok() const { return outcome.success(); }
  // The failure: rclone's first error; a configuration problem (an unknown remote, a config
  // file that does not parse) is exit 78, anything else 2.
  [[nodiscard]] Error error() const;
};

// Runs rclone: argv only, its config file (the remotes and their credentials) named with
// --config, never a terminal or stdin (a remote that would ask for a password fails instead),
// JSON log lines on stderr read as they come.
class Rclone {
public:
  Rclone(std::string program, std::string config_file);

  // `args` start with the rclone command (copy, sync, lsjson, ...).
  [[nodiscard]] proc::Command command(std::vector<std::string> args) const;
  // Runs a transfer command with stats every second; `on_log` sees each log line.
  [[nodiscard]] Result<RcloneRun> run(std::vector<std::string> args,
                                      const std::function<void(const LogLine&)>& on_log = {}) const;
  // The files under `place` (REMOTE:PATH or a folder), recursively; a place that does not
  // exist yet is empty.
  [[nodiscard]] Result<std::vector<RemoteFile>> list(const std::string& place) const;
  // The folders directly under `place` (empty when it does not exist).
  [[nodiscard]] Result<std::vector<std::string>> folders(const std::string& place) const;
  // "v1.60.1-DEV"
  [[nodiscard]] Result<std::string> version() const;

private:
  // `rclone lsjson FLAGS… PLACE`, parsed; a place that does not exist yet is empty.
  [[nodiscard]] Result<std::vector<RemoteFile>> lsjson(std::vector<std::string> flags,
                                                       const std::string& place) const;
  [[nodiscard]] Result<RcloneRun> run_collecting(std::vector<std::string> args,
                                                 const std::function<void(const LogLine&)>& on_log,
                                                 bool collect_stdout) const;
  std::string m_program;
  std::string m_config_file;
};

} // namespace om::copy
