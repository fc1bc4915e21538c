#include <om/sync/logs.hpp>

#include <filesystem>
#include <unordered_map>

#include <pwd.h>
#include <sys/stat.h>

#include <om/db/bulk_insert.hpp>
#include <om/jobs/columns.hpp>
#include <om/jobs/store.hpp>
#include <om/util/files.hpp>
#include <om/util/sha256.hpp>
#include <om/util/uuid.hpp>

namespace om::sync {
namespace {

// A log with no result that has not changed for this long is a run that died.
constexpr std::int64_t k_stale_after_s = 24 * 3600;

// The user name of a uid, looked up once per uid (a passwd lookup reads /etc/passwd).
std::string owner_name(uid_t uid) {
  static std::unordered_map<uid_t, std::string> names;
  if (auto it = names.find(uid); it != names.end())
    return it->second;
  const passwd* pw = ::getpwuid(uid);
  auto name = pw != nullptr ? std::string(pw->pw_name) : "uid-" + std::to_string(uid);
  names.emplace(uid, name);
  return name;
}

Result<std::vector<LogFile>> list_logs(const std::string& log_dir) {
  std::vector<LogFile> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(log_dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory)
      return files;
    return fail("reading log folder " + log_dir + ": " + ec.message());
  }
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    if (!name.starts_with("backup-") || !name.ends_with(".log"))
      continue;
    struct stat st{};
    if (::stat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    files.push_back(LogFile{entry.path().string(), static_cast<std::int64_t>(st.st_ino),
                            static_cast<std::int64_t>(st.st_size),
                            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                                st.st_mtim.tv_nsec,
                            owner_name(st.st_uid)});
  }
  return files;
}

using JobsByArchive = std::unordered_map<std::string, std::string>;

// Archive id → the job it belongs to, for every archive the catalog knows.
Result<JobsByArchive> jobs_by_archive(db::Catalog& catalog) {
  OM_TRY(rows, catalog.query("SELECT sha256, job_id FROM backup_artifacts WHERE artifact_type = "
                             "'borg' AND sha256 IS NOT NULL UNION SELECT archive_id, job_id FROM "
                             "backup_job_runs WHERE archive_id IS NOT NULL"));
  JobsByArchive out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.emplace(r.text(0), r.text(1));
  return out;
}

jobs::JobRecord job_from_log(const LogFile& file, const LogSummary& s, std::int64_t now) {
  jobs::JobRecord r;
  auto& job = r.job;
  // From the archive when there is one, else from the log file's identity: sync again gives
  // the same id, so nothing is ever recorded twice.
  job.id = util::uuid_v5(s.fingerprint.empty() ? "log:" + file.path : "archive:" + s.fingerprint);
  job.kind = "borg";
  job.status = s.outcome == LogSummary::Outcome::failed || s.fingerprint.empty() ? "failed" : "success";
  job.requested_by = "script:" + file.owner + "@" + (s.host.empty() ? "unknown" : s.host);
  auto mtime = file.mtime_ns / 1'000'000'000;
  job.started_at = s.archive_start && !s.first_time ? s.archive_start : s.first_time;
  if (!job.started_at)
    job.started_at = mtime;
  job.finished_at = s.last_time ? s.last_time : std::optional<std::int64_t>(mtime);
  if (*job.finished_at < *job.started_at)
    job.finished_at = job.started_at;
  job.duration_ms = (*job.finished_at - *job.started_at) * 1000;
  job.created_at = job.started_at;
  job.error = s.error_text();
  if (s.outcome == LogSummary::Outcome::in_progress)
    job.error = "the log ends without a result (the run was killed or the machine stopped); "
                "no change for " + std::to_string((now - mtime) / 3600) + " h";
  r.details = jobs::RunDetails{job.id, s.host, std::nullopt, "sync", file.path,
                               s.repository.empty() ? std::nullopt : std::optional(s.repository),
                               s.archive_name.empty() ? std::nullopt : std::optional(s.archive_name),
                               s.fingerprint.empty() ? std::nullopt : std::optional(s.fingerprint)};
  return r;
}

LogChange examine(const JobsByArchive& archives, LogFile file, LogSummary summary, std::int64_t now) {
  LogChange change{std::move(file), std::move(summary), "", std::nullopt, std::nullopt};
  const auto& on_disk = change.file;
  const auto& s = change.summary;
  if (s.om_job_id) {
    change.outcome = "own"; // om-backup-run recorded it itself
    return change;
  }
  switch (s.outcome) {
  case LogSummary::Outcome::success:
    change.outcome = "success";
    if (!s.fingerprint.empty()) {
      if (auto owner = archives.find(s.fingerprint); owner != archives.end())
        change.enrich_job = owner->second;
      else // the archive left the repository before anyone recorded it: history keeps it
        change.new_job = job_from_log(on_disk, s, now);
    }
    break;
  case LogSummary::Outcome::failed:
    change.outcome = "failed";
    change.new_job = job_from_log(on_disk, s, now);
    break;
  case LogSummary::Outcome::in_progress:
    change.outcome = "in_progress";
    if (now - on_disk.mtime_ns / 1'000'000'000 > k_stale_after_s) {
      change.outcome = "failed";
      change.new_job = job_from_log(on_disk, s, now);
    }
    break;
  }
  return change;
}

} // namespace

Result<IngestedLogs> load_ingested_logs(db::Catalog& catalog) {
  OM_TRY(rows, catalog.query("SELECT path_sha256, inode, size, mtime_ns, outcome FROM backup_log_files"));
  IngestedLogs ingested;
  ingested.reserve(rows.size());
  for (const auto& r : rows)
    ingested[r.text(0)] = IngestedLog{r.integer(1), r.integer(2), r.integer(3), r.text(4)};
  return ingested;
}

Result<ReadLogs> read_changed_logs(const IngestedLogs& ingested, const std::string& log_dir,
                                   const date::time_zone* tz, std::int64_t now) {
  OM_TRY(files, list_logs(log_dir));
  ReadLogs out;
  for (auto& file : files) {
    ++out.files_seen;
    auto it = ingested.find(util::sha256_hex(file.path));
    bool unchanged = it != ingested.end() && it->second.inode == file.inode &&
                     it->second.size == file.size && it->second.mtime_ns == file.mtime_ns;
    bool stale = now - file.mtime_ns / 1'000'000'000 > k_stale_after_s;
    if (unchanged && (it->second.outcome != "in_progress" || !stale)) {
      ++out.files_unchanged;
      continue;
    }
    OM_TRY(text, util::read_file(file.path));
    auto summary = parse_backup_log(text, tz);
    out.read.emplace_back(std::move(file), std::move(summary));
  }
  return out;
}

Result<LogChanges> plan_log_changes(db::Catalog& catalog, ReadLogs logs, std::int64_t now) {
  OM_TRY(archives, jobs_by_archive(catalog));
  LogChanges out;
  out.files_seen = logs.files_seen;
  out.files_unchanged = logs.files_unchanged;
  out.changes.reserve(logs.read.size());
  for (auto& [file, summary] : logs.read)
    out.changes.push_back(examine(archives, std::move(file), std::move(summary), now));
  return out;
}

Result<void> apply_log_changes(db::Catalog& catalog, const LogChanges& changes) {
  if (changes.changes.empty())
    return {};
  OM_TRY(tx, db::Transaction::begin(catalog));
  // A log read again after it grew replaces what an earlier read concluded.
  auto job_rows = jobs::bulk_job_rows(
      catalog, "ON DUPLICATE KEY UPDATE status = VALUES(status), finished_at = "
               "VALUES(finished_at), duration_ms = VALUES(duration_ms), error = VALUES(error)");
  auto run_rows = jobs::bulk_run_rows(catalog);
  db::BulkInsert file_rows(catalog,
                           "INSERT INTO backup_log_files (path_sha256, path, inode, size, "
                           "mtime_ns, outcome, job_id) VALUES",
                           "(?, ?, ?, ?, ?, ?, ?)", 7,
                           "ON DUPLICATE KEY UPDATE inode = VALUES(inode), size = VALUES(size), "
                           "mtime_ns = VALUES(mtime_ns), outcome = VALUES(outcome), job_id = "
                           "VALUES(job_id)");
  // What logs add to jobs of known archives is gathered in a temporary table and applied
  // with two joined UPDATEs, instead of two statements per log.
  OM_TRY_VOID(catalog.execute("CREATE TEMPORARY TABLE IF NOT EXISTS om_log_enrichment (job_id "
                              "VARCHAR(36) PRIMARY KEY, log_path VARCHAR(1024), warning TEXT) "
                              "DEFAULT CHARSET = utf8mb4"));
  OM_TRY_VOID(catalog.execute("DELETE FROM om_log_enrichment"));
  db::BulkInsert enrich_rows(catalog,
                             "INSERT INTO om_log_enrichment (job_id, log_path, warning) VALUES",
                             "(?, ?, ?)", 3, "ON DUPLICATE KEY UPDATE job_id = job_id");
  for (const auto& c : changes.changes) {
    std::optional<std::string> job_id = c.summary.om_job_id;
    if (c.new_job) {
      job_id = c.new_job->job.id;
      OM_TRY_VOID(job_rows.add(jobs::job_row(c.new_job->job)));
      OM_TRY_VOID(run_rows.add(jobs::run_row(c.new_job->details)));
    }
    if (c.enrich_job) {
      job_id = *c.enrich_job;
      OM_TRY_VOID(enrich_rows.add({*c.enrich_job, db::fitted(c.file.path, jobs::columns::log_path),
                                   db::fitted(c.summary.error_text(), jobs::columns::error)}));
    }
    OM_TRY_VOID(file_rows.add({util::sha256_hex(c.file.path), db::fitted(c.file.path, jobs::columns::log_path), c.file.inode,
                               c.file.size, c.file.mtime_ns, c.outcome, db::nullable(job_id)}));
  }
  // Jobs before their details (foreign key), details before the files that name them.
  OM_TRY_VOID(job_rows.flush());
  OM_TRY_VOID(run_rows.flush());
  OM_TRY_VOID(file_rows.flush());
  OM_TRY_VOID(enrich_rows.flush());
  // The log says what the repository cannot: where the log is, and the run's warnings.
  OM_TRY_VOID(catalog.execute("UPDATE backup_job_runs r JOIN om_log_enrichment e ON e.job_id = "
                              "r.job_id SET r.log_path = COALESCE(r.log_path, e.log_path)"));
  OM_TRY_VOID(catalog.execute("UPDATE backup_jobs j JOIN om_log_enrichment e ON e.job_id = j.id "
                              "SET j.error = e.warning WHERE e.warning IS NOT NULL AND j.status = "
                              "'success' AND j.error IS NULL"));
  OM_TRY_VOID(catalog.execute("DROP TEMPORARY TABLE om_log_enrichment"));
  return tx.commit();
}

} // namespace om::sync
