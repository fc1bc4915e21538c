#include <om/sync/logs.hpp>

#include <filesystem>
#include <span>
#include <unordered_map>

#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <om/jobs/history.hpp>
#include <om/jobs/store.hpp>
#include <om/util/files.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

namespace om::sync {
namespace {

// A log with no result that has not changed for this long is a run that died.
constexpr std::int64_t k_stale_after_s = std::int64_t{24} * 3600;

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

// Logs larger than this are not read into memory: no backup log is anywhere near it.
constexpr std::int64_t k_max_log_bytes = 256LL << 20;

LogFile describe(const std::string& path, const struct stat& st) {
  return LogFile{path,
                 static_cast<std::int64_t>(st.st_ino),
                 static_cast<std::int64_t>(st.st_size),
                 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                 owner_name(st.st_uid),
                 {}};
}

// The backup-*.log files of the folder. A link is followed only to a file inside the folder
// (and `path` is then where it leads); one that leads out of it (or to no file) is skipped,
// never read.
Result<std::vector<LogFile>> list_logs(const std::string& log_dir,
                                       std::vector<SkippedLog>& skipped) {
  std::vector<LogFile> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(log_dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory)
      return files;
    return fail("reading log folder " + log_dir + ": " + ec.message());
  }
  const auto real_dir = std::filesystem::weakly_canonical(log_dir, ec);
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    if (!name.starts_with("backup-") || !name.ends_with(".log"))
      continue;
    const auto path = entry.path().string();
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
      continue; // gone since the folder was listed
    if (S_ISLNK(st.st_mode)) {
      auto target = std::filesystem::canonical(entry.path(), ec);
      if (ec || target.parent_path() != real_dir) {
        skipped.push_back({describe(path, st), "a symbolic link that leads out of the log folder " +
                                                   log_dir +
                                                   (ec ? "" : " (to " + target.string() + ")")});
        continue;
      }
      if (::stat(target.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        continue;
      auto file = describe(target.string(), st);
      file.path = path; // recorded under its name in the folder
      file.read_from = target.string();
      files.push_back(std::move(file));
      continue;
    }
    if (!S_ISREG(st.st_mode))
      continue;
    files.push_back(describe(path, st));
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
  job.kind = jobs::Kind::borg;
  job.status = s.outcome == LogSummary::Outcome::failed || s.fingerprint.empty()
                   ? jobs::Status::failed
                   : jobs::Status::success;
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
                "no change for " +
                std::to_string((now - mtime) / 3600) + " h";
  r.details = jobs::RunDetails{
      .job_id = job.id,
      .host = s.host,
      .origin = "sync",
      .log_path = file.path,
      .repository = s.repository.empty() ? std::nullopt : std::optional(s.repository),
      .archive_name = s.archive_name.empty() ? std::nullopt : std::optional(s.archive_name),
      .archive_id = s.fingerprint.empty() ? std::nullopt : std::optional(s.fingerprint)};
  return r;
}

LogChange examine(const JobsByArchive& archives, LogFile file, LogSummary summary,
                  std::int64_t now) {
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
  OM_TRY(rows,
         catalog.query("SELECT path_sha256, inode, size, mtime_ns, outcome FROM backup_log_files"));
  IngestedLogs ingested;
  ingested.reserve(rows.size());
  for (const auto& r : rows)
    ingested[r.text(0)] = IngestedLog{r.integer(1), r.integer(2), r.integer(3), r.text(4)};
  return ingested;
}

Result<ReadLogs> read_changed_logs(const IngestedLogs& ingested, const std::string& log_dir,
                                   const date::time_zone* tz, std::int64_t now) {
  ReadLogs out;
  std::vector<SkippedLog> skipped;
  OM_TRY(files, list_logs(log_dir, skipped));
  auto unchanged = [&](const LogFile& file) {
    auto it = ingested.find(util::sha256_hex(file.path));
    bool same = it != ingested.end() && it->second.inode == file.inode &&
                it->second.size == file.size && it->second.mtime_ns == file.mtime_ns;
    bool stale = now - file.mtime_ns / 1'000'000'000 > k_stale_after_s;
    return same && (it->second.outcome != "in_progress" || !stale);
  };
  for (auto& s : skipped) {
    ++out.files_seen;
    if (unchanged(s.file))
      ++out.files_unchanged;
    else
      out.skipped.push_back(std::move(s));
  }
  for (auto& file : files) {
    ++out.files_seen;
    if (unchanged(file)) {
      ++out.files_unchanged;
      continue;
    }
    if (file.size > k_max_log_bytes) {
      out.skipped.push_back({std::move(file), "larger than 256 MiB: not a backup log"});
      continue;
    }
    // Never through a link swapped in since the folder was listed.
    auto text =
        util::read_file(file.read_from.empty() ? file.path : file.read_from, util::Follow::no);
    if (!text) {
      out.skipped.push_back({std::move(file), text.error().message});
      continue;
    }
    auto summary = parse_backup_log(*text, tz);
    out.read.emplace_back(std::move(file), std::move(summary));
  }
  return out;
}

Result<LogChanges> plan_log_changes(db::Catalog& catalog, ReadLogs logs, std::int64_t now) {
  OM_TRY(archives, jobs_by_archive(catalog));
  LogChanges out;
  out.files_seen = logs.files_seen;
  out.files_unchanged = logs.files_unchanged;
  out.skipped = std::move(logs.skipped);
  out.changes.reserve(logs.read.size());
  for (auto& [file, summary] : logs.read)
    out.changes.push_back(examine(archives, std::move(file), std::move(summary), now));
  return out;
}

namespace {

// Writes `changes` (and the record of the skipped logs) in one transaction.
Result<void> write_log_changes(db::Catalog& catalog, std::span<const LogChange> changes,
                               std::span<const SkippedLog> skipped) {
  if (changes.empty() && skipped.empty())
    return {};
  OM_TRY(tx, db::Transaction::begin(catalog));
  // A log read again after it grew replaces what an earlier read concluded.
  auto job_rows = jobs::bulk_job_rows(catalog, jobs::Existing::update_outcome);
  auto run_rows = jobs::bulk_run_rows(catalog);
  auto file_rows = jobs::bulk_log_file_rows(catalog);
  auto file_row = [](const LogFile& f, const std::string& outcome,
                     const std::optional<std::string>& job_id) {
    return jobs::log_file_row(f.path, f.inode, f.size, f.mtime_ns, outcome, job_id);
  };
  std::vector<jobs::LogEnrichment> enrichments;
  for (const auto& s : skipped)
    OM_TRY_VOID(file_rows.add(file_row(s.file, "skipped", std::nullopt)));
  for (const auto& c : changes) {
    std::optional<std::string> job_id = c.summary.om_job_id;
    if (c.new_job) {
      job_id = c.new_job->job.id;
      OM_TRY_VOID(job_rows.add(jobs::job_row(c.new_job->job)));
      OM_TRY_VOID(run_rows.add(jobs::run_row(c.new_job->details)));
    }
    if (c.enrich_job) {
      job_id = *c.enrich_job;
      enrichments.push_back({*c.enrich_job, c.file.path, c.summary.error_text()});
    }
    OM_TRY_VOID(file_rows.add(file_row(c.file, c.outcome, job_id)));
  }
  // Jobs before their details (foreign key), details before the files that name them.
  OM_TRY_VOID(job_rows.flush());
  OM_TRY_VOID(run_rows.flush());
  OM_TRY_VOID(file_rows.flush());
  // The log says what the repository cannot: where the log is, and the run's warnings.
  OM_TRY_VOID(jobs::enrich_from_logs(catalog, enrichments));
  return tx.commit();
}

} // namespace

Result<void> apply_log_changes(db::Catalog& catalog, LogChanges& changes) {
  auto all = write_log_changes(catalog, changes.changes, changes.skipped);
  if (all)
    return all;
  // The catalog refused something: find which log, one transaction each, and keep the rest.
  spdlog::debug("writing all log changes at once failed ({}); writing them one by one",
                all.error().message);
  std::vector<LogChange> kept;
  for (auto& c : changes.changes) {
    auto one = write_log_changes(catalog, std::span(&c, 1), {});
    if (one)
      kept.push_back(std::move(c));
    else
      changes.skipped.push_back(
          {c.file, "the catalog refused it: " + util::first_line(one.error().message)});
  }
  changes.changes = std::move(kept);
  // Refused logs are recorded as skipped, so they are tried again only once they change.
  return write_log_changes(catalog, {}, changes.skipped);
}

} // namespace om::sync
