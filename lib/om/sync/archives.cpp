#include <om/sync/archives.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include <om/jobs/history.hpp>
#include <om/jobs/manifest.hpp>
#include <om/jobs/store.hpp>
#include <om/sync/manifest_writer.hpp>
#include <om/sync/vanished.hpp>
#include <om/util/files.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::sync {

Result<KnownArchives> load_known_archives(db::Catalog& catalog) {
  KnownArchives known;
  OM_TRY(artifacts, catalog.query("SELECT sha256 FROM backup_artifacts WHERE artifact_type = "
                                  "'borg' AND sha256 IS NOT NULL"));
  OM_TRY(runs,
         catalog.query("SELECT archive_id FROM backup_job_runs WHERE archive_id IS NOT NULL"));
  OM_TRY(targets,
         catalog.query("SELECT archive_id FROM backup_job_targets WHERE archive_id IS NOT NULL"));
  known.reserve(artifacts.size() + runs.size() + targets.size());
  for (const auto* rows : {&artifacts, &runs, &targets}) {
    for (const auto& r : *rows)
      known.insert(r.text(0));
  }
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

jobs::JobRecord synthesize(const Source& source, const std::string& repo_id,
                           const ListedArchives::Ref& ref, const borg::Archive* info) {
  const auto& repository = source.repository;
  const auto* tz = source.tz;
  const std::string id(ref.id);
  const std::string name(ref.name);
  jobs::JobRecord r;
  auto& job = r.job;
  job.id = util::uuid_v5(repo_id + ":" + id);
  job.kind = jobs::Kind::borg;
  job.status = jobs::Status::success;
  job.started_at = to_epoch(info != nullptr ? info->start : std::string(ref.start), tz);
  job.created_at = job.started_at;
  if (info != nullptr) {
    job.requested_by = "script:" + (info->username.empty() ? "unknown" : info->username) + "@" +
                       (info->hostname.empty() ? "unknown" : info->hostname);
    job.finished_at = to_epoch(info->end, tz);
    job.duration_ms = std::llround(info->duration * 1000.0);
  } else {
    job.requested_by = "script:unknown@unknown";
    job.finished_at = job.started_at;
  }
  r.details = jobs::RunDetails{.job_id = job.id,
                               .host = info != nullptr ? info->hostname : std::string(),
                               .origin = "sync",
                               .repository = repository,
                               .archive_name = name,
                               .archive_id = id};
  r.artifacts.push_back(
      jobs::Artifact{.id = util::uuid_v5("artifact:" + repo_id + ":" + id),
                     .job_id = job.id,
                     .type = "borg",
                     .file_path = repository + "::" + name,
                     .file_size = info != nullptr ? info->stats.compressed_size : 0,
                     .sha256 = id});
  jobs::TargetResult t;
  t.target = source.target;
  t.repository = repository;
  t.status = jobs::Status::success;
  t.archive_name = name;
  t.archive_id = id;
  if (info != nullptr) {
    t.original_size = info->stats.original_size;
    t.compressed_size = info->stats.compressed_size;
    t.deduplicated_size = info->stats.deduplicated_size;
  }
  t.started_at = job.started_at;
  t.finished_at = job.finished_at;
  t.duration_ms = job.duration_ms;
  r.targets.push_back(std::move(t));
  return r;
}

std::string manifest_json(const jobs::JobRecord& r, const std::string& repository_id,
                          const borg::Archive* info) {
  auto maybe = [](const std::string& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  return jobs::archive_manifest(
      {"om-backup-sync", &r.job, maybe(r.details.host), std::nullopt, std::nullopt},
      {.repository = r.details.repository.value_or(""),
       .repository_id = repository_id,
       .archive = r.details.archive_name.value_or(""),
       .archive_id = r.details.archive_id.value_or(""),
       .borg_info_json = info != nullptr ? info->raw_json : std::string(),
       .hostname = info != nullptr ? maybe(info->hostname) : std::nullopt,
       .username = info != nullptr ? maybe(info->username) : std::nullopt,
       .borg_version = std::nullopt}); // made by another borg run: which one is not known
}

} // namespace

std::vector<std::string> unknown_archive_ids(const KnownArchives& known,
                                             const ListedArchives& listing) {
  std::vector<std::string> out;
  for (const auto& a : listing) {
    if (!a.is_checkpoint() && !known.contains(std::string(a.id)))
      out.emplace_back(a.id);
  }
  return out;
}

struct ArchiveSync::State {
  State(db::Catalog& c, const ListedArchives& l, Source s, std::string manifest_dir, bool dry)
      : catalog(c), listing(l), source(std::move(s)), manifests(std::move(manifest_dir)),
        dry_run(dry) {}

  db::Catalog& catalog;
  const ListedArchives& listing;
  Source source;
  std::string manifests; // <state-dir>/manifests
  bool dry_run;
  std::optional<db::Transaction> tx;
  // Listed archives the catalog does not know (indexes into the listing, by id), and which of
  // them borg info has described already.
  std::vector<std::uint32_t> pending;
  std::vector<bool> described;
  std::unordered_map<std::string, std::string> job_by_name; // killed runs' archive → job
  std::vector<std::string> removed_artifact_ids;
  std::vector<GoneArchive> vanished; // gone, and neither om-backup nor the retention explains it
  std::vector<jobs::JobRecord> batch;
  std::vector<jobs::Artifact> linked;
  std::unique_ptr<ManifestWriter> writer;
  std::vector<std::uint32_t>
      manifested; // archives whose manifest was queued, removed unless committed
  bool committed = false;
  ArchiveCounts counts;

  [[nodiscard]] std::string manifest_name(std::uint32_t i) const {
    return util::uuid_v5(listing.repository.id + ":" + std::string(listing[i].id)) + ".json";
  }
};

ArchiveSync::ArchiveSync(std::unique_ptr<State> state) : m(std::move(state)) {}

ArchiveSync::~ArchiveSync() {
  if (m->committed || !m->writer)
    return;
  m->writer.reset(); // stops it: nothing more is written
  for (auto i : m->manifested)
    ::unlink((m->manifests + "/" + m->manifest_name(i)).c_str());
}

Result<std::unique_ptr<ArchiveSync>>
ArchiveSync::start(db::Catalog& catalog, const KnownArchives& known, const Source& source,
                   const ListedArchives& listing, const std::string& state_dir, bool dry_run) {
  const auto& repository = source.repository;
  auto st = std::make_unique<State>(catalog, listing, source, state_dir + "/manifests", dry_run);
  // Jobs that named their archive in this repository and have no artifact for it. One that
  // died (a killed run): the archive, if borg finished it, belongs to it rather than to a new
  // synthesized job. One still running (on another host, say, whose borg create ended while
  // this sync listed): it records its archive itself, which is left alone here. A run records
  // the name in its details (the first target) and in each target's row.
  OM_TRY(named,
         catalog.query(
             "SELECT r.job_id, r.archive_name, j.status FROM backup_job_runs r JOIN backup_jobs j "
             "ON j.id = r.job_id LEFT JOIN backup_artifacts a ON a.job_id = r.job_id WHERE "
             "r.repository = ? AND r.archive_name IS NOT NULL AND a.id IS NULL UNION SELECT "
             "t.job_id, t.archive_name, j.status FROM backup_job_targets t JOIN backup_jobs j ON "
             "j.id = t.job_id WHERE t.repository = ? AND t.archive_name IS NOT NULL AND NOT EXISTS "
             "(SELECT 1 FROM backup_artifacts a WHERE a.job_id = t.job_id AND a.file_path = "
             "CONCAT(t.repository, '::', t.archive_name))",
             {repository, repository}));
  std::unordered_set<std::string> running_jobs_archives;
  for (const auto& r : named) {
    if (r.text_view(2) == "running")
      running_jobs_archives.insert(r.text(1));
    else
      st->job_by_name[r.text(1)] = r.text(0);
  }
  for (std::uint32_t i = 0; i < listing.size(); ++i) {
    if (listing[i].is_checkpoint())
      continue;
    ++st->counts.archives_seen;
    if (!known.contains(std::string(listing[i].id)) &&
        !running_jobs_archives.contains(std::string(listing[i].name)))
      st->pending.push_back(i);
  }
  // `known` was read before borg listed (which may have waited for another host's backup):
  // what was recorded meanwhile is known too.
  if (!st->pending.empty()) {
    OM_TRY(known_now, load_known_archives(catalog));
    std::erase_if(st->pending,
                  [&](std::uint32_t i) { return known_now.contains(std::string(listing[i].id)); });
  }
  std::ranges::sort(st->pending, {}, [&](std::uint32_t i) { return listing[i].id; });
  st->described.assign(listing.size(), false);

  // Archives the catalog records for this repository that the listing no longer has: pruned
  // (their artifact rows go), or vanished (their rows stay, and an integrity event marks them).
  OM_TRY(gone, gone_archives(catalog, repository, listing, source.listed_at));
  if (st->counts.archives_seen == 0 && !gone.empty())
    return fail("borg reports no archives in " + repository + " but the catalog records " +
                std::to_string(gone.size()) +
                ": refusing to treat that as every backup gone (nothing was changed)");
  OM_TRY(sorted, sort_gone(catalog, std::move(gone), listing, source.retention, source.tz));
  for (const auto& g : sorted.pruned)
    st->removed_artifact_ids.push_back(g.artifact_id);
  st->vanished = std::move(sorted.vanished);
  st->counts.artifacts_removed = st->removed_artifact_ids.size();
  st->counts.archives_vanished = st->vanished.size();
  if (!dry_run) {
    if (!st->pending.empty()) {
      OM_TRY_VOID(util::open_private_dir(state_dir, 0750));
      OM_TRY_VOID(util::open_private_dir(st->manifests, 0750));
      st->writer = std::make_unique<ManifestWriter>(st->manifests);
    }
    OM_TRY(tx, db::Transaction::begin(catalog));
    st->tx.emplace(std::move(tx));
  }
  return std::unique_ptr<ArchiveSync>(new ArchiveSync(std::move(st)));
}

Result<void> ArchiveSync::add(const borg::Archive& info) {
  auto it = std::ranges::lower_bound(m->pending, std::string_view(info.id), {},
                                     [&](std::uint32_t i) { return m->listing[i].id; });
  if (it == m->pending.end() || m->listing[*it].id != info.id || m->described[*it])
    return {};
  m->described[*it] = true;
  return take(*it, &info);
}

std::vector<std::string> ArchiveSync::undescribed() const {
  std::vector<std::string> names;
  for (auto i : m->pending) {
    if (!m->described[i])
      names.emplace_back(m->listing[i].name);
  }
  return names;
}

Result<void> ArchiveSync::take(std::uint32_t index, const borg::Archive* info) {
  const auto& ref = m->listing[index];
  const auto& repo_id = m->listing.repository.id;
  const std::string id(ref.id);
  const std::string name(ref.name);
  if (auto owner = m->job_by_name.find(name); owner != m->job_by_name.end()) {
    ++m->counts.jobs_linked;
    m->linked.push_back(
        jobs::Artifact{.id = util::uuid_v5("artifact:" + repo_id + ":" + id),
                       .job_id = owner->second,
                       .type = "borg",
                       .file_path = m->source.repository + "::" + name,
                       .file_size = info != nullptr ? info->stats.compressed_size : 0,
                       .sha256 = id});
    return {};
  }
  ++m->counts.jobs_created;
  if (m->dry_run)
    return {};
  auto record = synthesize(m->source, repo_id, ref, info);
  record.artifacts.front().manifest_path = m->manifests + "/" + record.job.id + ".json";
  m->manifested.push_back(index);
  m->writer->write(record.job.id + ".json", manifest_json(record, repo_id, info));
  m->batch.push_back(std::move(record));
  return m->batch.size() >= 1000 ? flush() : Result<void>{};
}

Result<void> ArchiveSync::flush() {
  auto& catalog = m->catalog;
  auto job_rows = jobs::bulk_job_rows(catalog);
  auto run_rows = jobs::bulk_run_rows(catalog);
  auto artifact_rows = jobs::bulk_artifact_rows(catalog);
  auto target_rows = jobs::bulk_target_rows(catalog);
  for (const auto& r : m->batch) {
    OM_TRY_VOID(job_rows.add(jobs::job_row(r.job)));
    OM_TRY_VOID(run_rows.add(jobs::run_row(r.details)));
  }
  OM_TRY_VOID(job_rows.flush());
  OM_TRY_VOID(run_rows.flush());
  for (const auto& r : m->batch) {
    for (const auto& t : r.targets)
      OM_TRY_VOID(target_rows.add(jobs::target_row(r.job.id, t)));
  }
  OM_TRY_VOID(target_rows.flush());
  for (const auto& r : m->batch) {
    auto row = jobs::artifact_row(r.artifacts.front());
    row.push_back(db::nullable(r.job.finished_at));
    OM_TRY_VOID(artifact_rows.add(std::move(row)));
  }
  OM_TRY_VOID(artifact_rows.flush());
  OM_TRY_VOID(jobs::link_archives(catalog, m->linked));
  m->batch.clear();
  m->linked.clear();
  return {};
}

Result<ArchiveCounts> ArchiveSync::finish() {
  // Listed archives borg info did not describe (none given, or a partial document): what the
  // listing says is all there is.
  for (auto i : m->pending) {
    if (!m->described[i])
      OM_TRY_VOID(take(i, nullptr));
  }
  if (m->dry_run)
    return m->counts;
  OM_TRY_VOID(flush());
  OM_TRY_VOID(jobs::remove_artifacts(m->catalog, m->removed_artifact_ids));
  OM_TRY(raised, raise_vanished(m->catalog, m->source.target, m->vanished));
  for (const auto& e : raised)
    spdlog::warn("{}", jobs::describe(e));
  // Every manifest is on disk before the rows that name them commit.
  if (m->writer)
    OM_TRY_VOID(m->writer->finish());
  OM_TRY_VOID(m->tx->commit());
  m->committed = true;
  return m->counts;
}

} // namespace om::sync
