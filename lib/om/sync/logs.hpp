#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/sync/log_summary.hpp>
#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::sync {

// A backup-*.log as found on disk.
struct LogFile {
  std::string path;
  std::int64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string owner;     // user name of the file's owner: who ran the script
  std::string read_from; // where a link inside the log folder leads; empty: `path` itself
};

// What ingesting one log changes.
struct LogChange {
  LogFile file;
  LogSummary summary;
  std::string outcome;                    // backup_log_files.outcome
  std::optional<std::string> enrich_job;  // job of the archive this log names
  std::optional<jobs::JobRecord> new_job; // a failed run (or a run whose archive is gone)
};

// A log that cannot be ingested (unreadable, a link out of the log folder, too large, or
// refused by the catalog): it is recorded as skipped and read again only once it changes.
struct SkippedLog {
  LogFile file;
  std::string reason;
};

struct LogChanges {
  std::size_t files_seen = 0;
  std::size_t files_unchanged = 0;
  std::vector<LogChange> changes;
  std::vector<SkippedLog> skipped;
};

// What the catalog has already ingested, by the sha256 of the log's path.
struct IngestedLog {
  std::int64_t inode, size, mtime_ns;
  std::string outcome;
};
using IngestedLogs = std::unordered_map<std::string, IngestedLog>;
[[nodiscard]] Result<IngestedLogs> load_ingested_logs(db::Catalog& catalog);

// The logs that are new or changed since they were ingested (a log still being written is
// read again once it grows), read and parsed.
struct ReadLogs {
  std::size_t files_seen = 0;
  std::size_t files_unchanged = 0;
  std::vector<std::pair<LogFile, LogSummary>> read;
  std::vector<SkippedLog> skipped;
};
// Lists <log_dir>/backup-*.log and reads the new or changed ones. Files only, no catalog: it
// runs on a thread of its own while the archives are reconciled.
[[nodiscard]] Result<ReadLogs> read_changed_logs(const IngestedLogs& ingested,
                                                 const std::string& log_dir,
                                                 const date::time_zone* tz, std::int64_t now);

// What each read log changes, against the archives the catalog knows now (after the archives
// were reconciled, so a log names the job of an archive synced a moment ago).
[[nodiscard]] Result<LogChanges> plan_log_changes(db::Catalog& catalog, ReadLogs logs,
                                                  std::int64_t now);

// Writes the jobs, enrichments and the ingestion record in one transaction. Should the
// catalog refuse it, each log is written in a transaction of its own, and a log the catalog
// still refuses joins `changes.skipped`: one bad log never keeps the others out.
[[nodiscard]] Result<void> apply_log_changes(db::Catalog& catalog, LogChanges& changes);

} // namespace om::sync
