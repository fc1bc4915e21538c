#pragma once

#include <string>
#include <vector>

#include <om/attempt/outcome.hpp>
#include <om/attempt/recorder.hpp>
#include <om/config/options.hpp>
#include <om/run/request.hpp>

namespace om::run {

// The plain-file backups the old BackupEngine made, for the UI's "Your Backups" tab:
// files (<backup-root>/<date>/<job-id>/files-<host>-<stamp>.tar.gz), db
// (db-<database>-<stamp>.sql.gz) or both. Compressed on both cores (pigz), hashed as written,
// verified, renamed into place only when complete; nothing partial is ever left behind.
struct LegacyBackup {
  const config::Options& options;
  const RunRequest& request;
  jobs::Kind kind; // files | db | both
  attempt::JobRecorder& recorder;
  std::int64_t now;
  std::string host;
};

[[nodiscard]] attempt::Outcome run_legacy_backup(const LegacyBackup& backup);

// The lines --dry-run prints.
[[nodiscard]] std::vector<std::string> describe_legacy_backup(const LegacyBackup& backup);

} // namespace om::run
