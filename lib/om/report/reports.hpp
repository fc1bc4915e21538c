#pragma once

#include <om/changes/change_store.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>
#include <om/util/table.hpp>

namespace om::report {

struct JobFilter {
  std::optional<std::string> kind;
  std::optional<std::string> status;
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
  int limit = 50;
  std::optional<std::string> host; // only jobs run on this host (backup_job_runs.host)
};

// " AND <job_id_column> IN (jobs of HOST)" with HOST appended to `params`; "" without a host.
// Several hosts sharing a catalog: each report can be limited to one of them.
[[nodiscard]] std::string host_condition(const std::optional<std::string>& host,
                                         const std::string& job_id_column,
                                         std::vector<db::Value>& params);
// The same for "the newest N" of one host, after `FROM backup_jobs j` (HOST appended to
// `params`, so before any other): the jobs are read newest first by their own index and each
// looked up in backup_job_runs by its key until N are found, where `IN (jobs of HOST)` sorts all
// of that host's jobs first (5 s on a million).
[[nodiscard]] std::string newest_of_host(const std::optional<std::string>& host,
                                         std::vector<db::Value>& params);

// The UI's job list: newest first, with artifact count and total size.
[[nodiscard]] Result<util::Table> list_jobs(db::Catalog& catalog, const JobFilter& filter);

// The restores (backup_restores), newest first: `filter`'s status, since/until (started_at),
// limit and host (the host that restored); its kind is not used.
[[nodiscard]] Result<util::Table> list_restores(db::Catalog& catalog, const JobFilter& filter);

// om-backup-check's rows (backup_checks), newest first: `filter`'s status, since/until
// (started_at), limit and host; `target` when given.
[[nodiscard]] Result<util::Table> list_checks(db::Catalog& catalog, const JobFilter& filter,
                                              const std::optional<std::string>& target);

// One job: its row (with log path) and its artifacts. Unknown id: exit 2.
struct JobDetail {
  util::Table job;
  util::Table artifacts;
  std::optional<std::string> log_path;
  util::Table changes; // per target: what its archive changed (backup_job_changes)
  util::Table largest; // per target: its largest changes
  std::vector<changes::TargetSummary> summaries;
};
[[nodiscard]] Result<JobDetail> job_detail(db::Catalog& catalog, const std::string& id);

// When the newest job with `status` (of `kind`, created since `since`, when given; without a
// kind, of any backup kind: copies are not backups) ended, or else started or was queued: one
// index entry however long the history. nullopt: no such job.
[[nodiscard]] Result<std::optional<std::int64_t>>
newest_job_time(db::Catalog& catalog, const std::optional<std::string>& kind, jobs::Status status,
                std::optional<std::int64_t> since = {},
                const std::optional<std::string>& host = {});

// Per kind: counts by status, success rate, last success and failure, durations, bytes.
[[nodiscard]] Result<util::Table> job_stats(db::Catalog& catalog, std::optional<std::int64_t> since,
                                            const std::optional<std::string>& host = {});

} // namespace om::report
