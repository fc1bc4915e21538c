#pragma once

// The exit codes of every om-backup tool (sysexits-style, stable, documented in README).
// `om-backup-report check` uses the monitoring-plugin codes in om/report instead.
namespace om {

enum class ExitStatus : int {
  ok = 0,
  warning = 1,       // finished, with warnings
  failed = 2,        // the operation failed
  usage = 64,        // bad command line
  unavailable = 69,  // a required service (catalog DB, borg) is unavailable
  temp_fail = 75,    // another backup holds the lock: try again later
  config = 78,       // configuration error (no passphrase, schema behind, ...)
  interrupted = 130, // SIGINT/SIGTERM
};

[[nodiscard]] constexpr int to_int(ExitStatus s) {
  return static_cast<int>(s);
}

} // namespace om
