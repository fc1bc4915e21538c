#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <om/db/bulk_insert.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

// The writes to the job history that are not one job's own record (JobStore has those): what
// sync and prune change in backup_jobs, backup_artifacts and our own tables. With store.hpp,
// the only place in the library that writes these tables.
namespace om::jobs {

// Artifact rows in bulk; a row already there stays as it is. Each row: artifact_row() and
// then its created_at (epoch seconds, or NULL for now).
[[nodiscard]] db::BulkInsert bulk_artifact_rows(db::Catalog& catalog);

// The archive a killed run's borg finished is that run's: its artifact row is added, and the
// run's details and the target's row that named the archive get its id.
[[nodiscard]] Result<void> link_archives(db::Catalog& catalog,
                                         const std::vector<Artifact>& artifacts);

// Artifact rows of archives that left the repository (their jobs stay), by artifact id.
[[nodiscard]] Result<void> remove_artifacts(db::Catalog& catalog,
                                            const std::vector<std::string>& ids);

// Who pruned, with which tool and policy: written with every deletion (backup_prune_events),
// the answer to "who deleted my backup".
struct PruneRecord {
  std::string host;
  std::string requested_by;
  std::string tool;
  std::string policy;
};

// Archives borg pruned: their artifact rows go (their jobs stay) and each gets a prune record,
// in one transaction. `names[i]` names `ids[i]` where known. Returns the rows removed.
[[nodiscard]] Result<std::size_t> forget_pruned_archives(db::Catalog& catalog,
                                                         const PruneRecord& record,
                                                         const std::string& repository,
                                                         const std::vector<std::string>& ids,
                                                         const std::vector<std::string>& names);

// Legacy files that were deleted: their artifact rows go with a prune record each, in one
// transaction.
struct PrunedFile {
  std::string artifact_id;
  std::string job_id;
  std::string path;
};
[[nodiscard]] Result<void> forget_pruned_files(db::Catalog& catalog, const PruneRecord& record,
                                               const std::vector<PrunedFile>& files);

// What a log tells about a job the history knows already: where its log is, and the warnings
// of a run that succeeded with some.
struct LogEnrichment {
  std::string job_id;
  std::string log_path;
  std::optional<std::string> warning;
};
// Applies them with two joined UPDATEs (one statement per log would be thousands); a job's
// log path and error are only filled where they are empty. Call inside a transaction.
[[nodiscard]] Result<void> enrich_from_logs(db::Catalog& catalog,
                                            const std::vector<LogEnrichment>& rows);

// The record of the logs sync has read (backup_log_files) in bulk; a log read again replaces
// its row. Each row: path, inode, size, mtime (ns), outcome, job id or NULL.
[[nodiscard]] db::BulkInsert bulk_log_file_rows(db::Catalog& catalog);
[[nodiscard]] std::vector<db::Value> log_file_row(const std::string& path, std::int64_t inode,
                                                  std::int64_t size, std::int64_t mtime_ns,
                                                  const std::string& outcome,
                                                  const std::optional<std::string>& job_id);

} // namespace om::jobs
