#include <om/sync/archives.hpp>

#include <future>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include <om/db/bulk_insert.hpp>
#include <om/jobs/store.hpp>
#include <om/util/files.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::sync {
namespace {

} // namespace

Result<KnownArchives> load_known_archives(db::Catalog& catalog) {
  KnownArchives known;
  OM_TRY(artifacts, catalog.query("SELECT sha256 FROM backup_artifacts WHERE artifact_type = "
                                  "'borg' AND sha256 IS NOT NULL"));
  OM_TRY(runs, catalog.query("SELECT archive_id FROM backup_job_runs WHERE archive_id IS NOT NULL"));
  known.reserve(artifacts.size() + runs.size());
  for (const auto& r : artifacts)
    known.insert(r.text(0));
  for (const auto& r : runs)
    known.insert(r.text(0));
  return known;
}

namespace {

std::optional<std::int64_t> to_epoch(const std::string& text, const date::time_zone* tz) {
  if (text.empty())
    return std::nullopt;
  auto t = util::parse_local_time(text, tz);
  if (!t) {
    spdlog::warn("{}", t.error().message);
    return std::nullopt;
  }
  return *t;
}

jobs::JobRecord synthesize(const std::string& repository, const std::string& repo_id,
                           const borg::ArchiveRef& ref, const borg::Archive* info,
                           const date::time_zone* tz) {
  jobs::JobRecord r;
  auto& job = r.job;
  job.id = util::uuid_v5(repo_id + ":" + ref.id);
  job.kind = "borg";
  job.status = "success";
  job.started_at = to_epoch(info != nullptr ? info->start : ref.start, tz);
  job.created_at = job.started_at;
  if (info != nullptr) {
    job.requested_by = "script:" + (info->username.empty() ? "unknown" : info->username) + "@" +
                       (info->hostname.empty() ? "unknown" : info->hostname);
    job.finished_at = to_epoch(info->end, tz);
    job.duration_ms = static_cast<std::int64_t>(info->duration * 1000.0 + 0.5);
  } else {
    job.requested_by = "script:unknown@unknown";
    job.finished_at = job.started_at;
  }
  r.details = jobs::RunDetails{job.id,
                               info != nullptr ? info->hostname : std::string(),
                               std::nullopt,
                               "sync",
                               std::nullopt,
                               repository,
                               ref.name,
                               ref.id};
  r.artifacts.push_back(jobs::Artifact{util::uuid_v5("artifact:" + repo_id + ":" + ref.id), job.id,
                                       "borg", repository + "::" + ref.name,
                                       info != nullptr ? info->stats.compressed_size : 0, ref.id,
                                       std::nullopt});
  return r;
}

std::string manifest_json(const jobs::JobRecord& r, const borg::Archive* info) {
  util::JsonWriter w;
  w.begin_object()
      .field("job_id", r.job.id)
      .field("kind", r.job.kind)
      .field("origin", "om-backup-sync")
      .field("repository", r.details.repository)
      .field("archive", r.details.archive_name)
      .field("archive_id", r.details.archive_id);
  w.key("borg_info").raw(info != nullptr && !info->raw_json.empty() ? info->raw_json : "null");
  w.end_object();
  return w.str() + "\n";
}

// Inserts the rows of the changes in one transaction, returned open for the caller to commit.
Result<db::Transaction> write_rows(db::Catalog& catalog, const ArchiveChanges& changes,
                                   const std::vector<jobs::JobRecord>& records) {
  OM_TRY(tx, db::Transaction::begin(catalog));
  auto job_rows = jobs::bulk_job_rows(catalog);
  auto run_rows = jobs::bulk_run_rows(catalog);
  db::BulkInsert artifact_rows(catalog,
                               "INSERT IGNORE INTO backup_artifacts (id, job_id, artifact_type, "
                               "file_path, file_size, sha256, manifest_path, created_at) VALUES",
                               "(?, ?, ?, ?, ?, ?, ?, COALESCE(FROM_UNIXTIME(?), CURRENT_TIMESTAMP))",
                               8);
  for (const auto& r : records) {
    OM_TRY_VOID(job_rows.add(jobs::job_row(r.job)));
    OM_TRY_VOID(run_rows.add(jobs::run_row(r.details)));
  }
  OM_TRY_VOID(job_rows.flush());
  OM_TRY_VOID(run_rows.flush());
  auto add_artifact = [&](const jobs::Artifact& a, std::optional<std::int64_t> created) {
    return artifact_rows.add({a.id, a.job_id, a.type, a.file_path, a.file_size,
                              db::nullable(a.sha256), db::nullable(a.manifest_path),
                              db::nullable(created)});
  };
  for (const auto& r : records)
    OM_TRY_VOID(add_artifact(r.artifacts.front(), r.job.finished_at));
  for (const auto& a : changes.linked)
    OM_TRY_VOID(add_artifact(a, std::nullopt));
  OM_TRY_VOID(artifact_rows.flush());
  for (const auto& a : changes.linked)
    OM_TRY_VOID(catalog.execute("UPDATE backup_job_runs SET archive_id = ? WHERE job_id = ?",
                                {*a.sha256, a.job_id}));
  // Removed in chunks: a prune can take thousands of archives at once.
  const auto& removed = changes.removed_artifact_ids;
  for (std::size_t i = 0; i < removed.size(); i += 500) {
    std::vector<db::Value> ids(removed.begin() + static_cast<long>(i),
                               removed.begin() + static_cast<long>(std::min(removed.size(), i + 500)));
    std::string sql = "DELETE FROM backup_artifacts WHERE id IN (?";
    for (std::size_t k = 1; k < ids.size(); ++k)
      sql += ", ?";
    OM_TRY_VOID(catalog.execute(sql + ")", ids));
  }
  return tx;
}


} // namespace

std::vector<std::string> unknown_archive_ids(const KnownArchives& known,
                                             const borg::Listing& listing) {
  std::vector<std::string> out;
  for (const auto& a : listing.archives) {
    if (!a.is_checkpoint() && !known.contains(a.id))
      out.push_back(a.id);
  }
  return out;
}

Result<ArchiveChanges> plan_archive_changes(db::Catalog& catalog, const KnownArchives& known,
                                            const std::string& repository,
                                            const borg::Listing& listing,
                                            const std::map<std::string, borg::Archive>& info,
                                            const date::time_zone* tz) {
  ArchiveChanges changes;
  changes.repository = repository;
  // Jobs of this repository that named their archive before dying (killed runs): the archive,
  // if borg finished it, belongs to them rather than to a new synthesized job.
  OM_TRY(named, catalog.query(
                    "SELECT r.job_id, r.archive_name FROM backup_job_runs r LEFT JOIN "
                    "backup_artifacts a ON a.job_id = r.job_id WHERE r.repository = ? AND "
                    "r.archive_name IS NOT NULL AND r.archive_id IS NULL AND a.id IS NULL",
                    {repository}));
  std::unordered_map<std::string, std::string> job_by_name;
  for (const auto& r : named)
    job_by_name[r.text(1)] = r.text(0);

  std::unordered_set<std::string> listed;
  for (const auto& ref : listing.archives) {
    if (ref.is_checkpoint())
      continue;
    ++changes.archives_seen;
    listed.insert(ref.id);
    if (known.contains(ref.id))
      continue;
    auto it = info.find(ref.id);
    const borg::Archive* archive = it == info.end() ? nullptr : &it->second;
    if (auto owner = job_by_name.find(ref.name); owner != job_by_name.end()) {
      changes.linked.push_back(jobs::Artifact{
          util::uuid_v5("artifact:" + listing.repository.id + ":" + ref.id), owner->second, "borg",
          repository + "::" + ref.name, archive != nullptr ? archive->stats.compressed_size : 0,
          ref.id, std::nullopt});
      continue;
    }
    changes.new_jobs.push_back(synthesize(repository, listing.repository.id, ref, archive, tz));
  }

  const std::string prefix = repository + "::";
  OM_TRY(recorded, catalog.query("SELECT id, sha256 FROM backup_artifacts WHERE artifact_type = "
                                 "'borg' AND LEFT(file_path, CHAR_LENGTH(?)) = ?",
                                 {prefix, prefix}));
  if (changes.archives_seen == 0 && !recorded.empty())
    return fail("borg reports no archives in " + repository + " but the catalog records " +
                std::to_string(recorded.size()) +
                ": refusing to treat that as every backup gone (nothing was changed)");
  for (const auto& r : recorded) {
    if (!listed.contains(r.text(1)))
      changes.removed_artifact_ids.push_back(r.text(0));
  }
  return changes;
}

Result<void> apply_archive_changes(db::Catalog& catalog, const ArchiveChanges& changes,
                                   const std::string& state_dir,
                                   const std::map<std::string, borg::Archive>& info) {
  auto manifests = state_dir + "/manifests";
  if (!changes.new_jobs.empty())
    OM_TRY_VOID(util::make_dirs(manifests, 0750));
  std::vector<jobs::JobRecord> records = changes.new_jobs;
  for (auto& r : records)
    r.artifacts.front().manifest_path = manifests + "/" + r.job.id + ".json";
  // The sidecar files are written on the other core while the rows go to the server; the
  // transaction commits only once every file is there.
  auto written = std::async(std::launch::async, [&records, &info, &manifests]() -> Result<void> {
    for (const auto& r : records) {
      auto it = info.find(*r.details.archive_id);
      OM_TRY_VOID(util::replace_file(*r.artifacts.front().manifest_path,
                                     manifest_json(r, it == info.end() ? nullptr : &it->second),
                                     0640));
    }
    if (!records.empty())
      OM_TRY_VOID(util::sync_dir(manifests));
    return {};
  });
  auto tx = write_rows(catalog, changes, records);
  auto files = written.get();
  if (!files)
    return std::unexpected(files.error().context("writing manifests"));
  if (!tx)
    return std::unexpected(tx.error());
  return tx->commit();
}

} // namespace om::sync
