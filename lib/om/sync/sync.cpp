#include <om/sync/sync.hpp>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <optional>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/borg/client.hpp>
#include <om/borg/parse.hpp>
#include <om/jobs/spool.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/host_lock.hpp>
#include <om/sync/archives.hpp>
#include <om/sync/logs.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/time.hpp>

namespace om::sync {
namespace {

constexpr const char* k_sync_lock = "om-backup:sync";

// Logs how long a phase took, at debug level (-vv).
class PhaseTimer {
public:
  explicit PhaseTimer(const char* phase) : m_phase(phase), m_start(util::monotonic_ms()) {}
  ~PhaseTimer() { spdlog::debug("{}: {} ms", m_phase, util::monotonic_ms() - m_start); }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

private:
  const char* m_phase;
  std::int64_t m_start;
};

Result<std::string> read_input(const std::string& path) {
  if (path != "-")
    return util::read_file(path);
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad())
    return fail("reading standard input failed");
  return text;
}

struct RepositoryView {
  std::string repository;
  borg::Listing listing;
  std::map<std::string, borg::Archive> info;
  const date::time_zone* tz = nullptr;
};

Result<void> add_info(RepositoryView& view, const std::string& path, bool replace_listing) {
  std::optional<PhaseTimer> timer(std::in_place, "reading borg info JSON");
  OM_TRY(text, read_input(path));
  timer.emplace("parsing borg info JSON");
  auto info = borg::parse_info(text);
  if (!info)
    return std::unexpected(info.error().context(path));
  if (replace_listing)
    view.listing.repository = info->repository;
  for (auto& a : info->archives) {
    if (replace_listing)
      view.listing.archives.push_back({a.name, a.id, a.start});
    view.info.emplace(a.id, std::move(a));
  }
  return {};
}

// From --borg-list-json / --borg-info-json. The info document (the big one: years of archives
// with their stats) is parsed only when the listing has archives the catalog does not know.
Result<RepositoryView> from_files(const config::Options& options, const SyncRequest& request,
                                  const KnownArchives& known) {
  RepositoryView view;
  OM_TRY(tz, util::find_zone(request.borg_tz));
  view.tz = tz;
  if (request.borg_list_json.empty()) {
    OM_TRY_VOID(add_info(view, request.borg_info_json, true));
  } else {
    OM_TRY(text, read_input(request.borg_list_json));
    auto listing = borg::parse_list(text);
    if (!listing)
      return std::unexpected(listing.error().context(request.borg_list_json));
    view.listing = std::move(*listing);
    if (!request.borg_info_json.empty()) {
      if (!unknown_archive_ids(known, view.listing).empty())
        OM_TRY_VOID(add_info(view, request.borg_info_json, false));
      else if (request.borg_info_json == "-")
        OM_TRY_VOID(read_input("-")); // drained, so the writer of the pipe ends well
    }
  }
  view.repository = options.repo.empty() ? view.listing.repository.location : options.repo;
  return view;
}

Result<RepositoryView> from_borg(const config::Options& options, const KnownArchives& known) {
  RepositoryView view;
  view.repository = options.repo;
  OM_TRY(utc, util::find_zone("UTC"));
  view.tz = utc; // our borg runs with TZ=UTC
  OM_TRY(passphrase, borg::resolve_passphrase(options.passphrase_file));
  borg::Client client(options.borg_command, passphrase, std::chrono::hours(2));
  OM_TRY(list, client.run({"list", "--json", options.repo}));
  if (!list.ok())
    return std::unexpected(list.error());
  OM_TRY(listing, borg::parse_list(list.outcome.stdout_text));
  view.listing = std::move(listing);
  auto unknown = unknown_archive_ids(known, view.listing);
  if (unknown.empty())
    return view;
  // One `borg info` for every unknown archive: they are the newest few in borg's order, so
  // --last K from the first unknown one covers them all.
  std::size_t first = view.listing.archives.size();
  for (std::size_t i = 0; i < view.listing.archives.size(); ++i) {
    if (std::ranges::find(unknown, view.listing.archives[i].id) != unknown.end()) {
      first = i;
      break;
    }
  }
  auto last = std::to_string(view.listing.archives.size() - first);
  OM_TRY(info_run, client.run({"info", "--json", "--last", last, options.repo}));
  if (!info_run.ok())
    return std::unexpected(info_run.error());
  OM_TRY(info, borg::parse_info(info_run.outcome.stdout_text));
  for (auto& a : info.archives)
    view.info.emplace(a.id, std::move(a));
  return view;
}

Result<void> sync_archives(db::Catalog& catalog, const config::Options& options,
                           const SyncRequest& request, SyncSummary& summary) {
  bool from_json = !request.borg_list_json.empty() || !request.borg_info_json.empty();
  if (!from_json && options.repo.empty()) {
    spdlog::info("no repository configured: only logs are synced");
    return {};
  }
  std::optional<PhaseTimer> timer(std::in_place, "reading archives");
  OM_TRY(known, load_known_archives(catalog));
  auto view = from_json ? from_files(options, request, known) : from_borg(options, known);
  if (!view)
    return std::unexpected(view.error().context("reading the repository's archives"));
  timer.emplace("planning archive changes");
  OM_TRY(changes, plan_archive_changes(catalog, known, view->repository, view->listing, view->info,
                                       view->tz));
  timer.emplace("writing archive changes");
  summary.archives_seen = changes.archives_seen;
  summary.jobs_created += changes.new_jobs.size();
  summary.jobs_enriched += changes.linked.size();
  summary.artifacts_removed = changes.removed_artifact_ids.size();
  if (!options.dry_run)
    OM_TRY_VOID(apply_archive_changes(catalog, changes, options.state_dir, view->info));
  return {};
}

Result<void> sync_logs(db::Catalog& catalog, const config::Options& options,
                       const SyncRequest& request, SyncSummary& summary) {
  OM_TRY(tz, util::find_zone(request.log_tz));
  std::optional<PhaseTimer> timer(std::in_place, "reading logs");
  OM_TRY(changes, plan_log_changes(catalog, options.log_dir, tz, util::now_unix()));
  timer.emplace("writing log changes");
  summary.logs_read = changes.changes.size();
  summary.logs_unchanged = changes.files_unchanged;
  for (const auto& c : changes.changes) {
    if (c.new_job && c.new_job->job.status == "failed")
      ++summary.failed_runs;
    else if (c.new_job)
      ++summary.jobs_created;
    if (c.enrich_job)
      ++summary.jobs_enriched;
  }
  if (!options.dry_run)
    OM_TRY_VOID(apply_log_changes(catalog, changes));
  return {};
}

// Spooled records and abandoned runs: housekeeping any tool holding the locks may do.
void housekeeping(db::Catalog& catalog, const config::Options& options, SyncSummary& summary) {
  jobs::JobStore store(catalog);
  if (!options.dry_run) {
    if (auto flushed = jobs::flush_spool(options.state_dir, store))
      summary.spool_flushed = flushed->written;
    else
      spdlog::warn("writing spooled records: {}", flushed.error().message);
  }
  // Only while no backup runs on this host can its `running` jobs be known dead.
  auto host = util::host_name();
  auto lock = lock::HostLock::acquire(options.state_dir,
                                      {"", host, static_cast<long>(::getpid()), util::now_unix(),
                                       "om-backup-sync"});
  if (!lock) {
    spdlog::info("not closing abandoned jobs: {}", lock.error().message);
    return;
  }
  if (options.dry_run)
    return;
  if (auto closed = store.close_abandoned(host, "", "om-backup-sync"))
    summary.abandoned_closed = closed->size();
  else
    spdlog::warn("closing abandoned jobs: {}", closed.error().message);
}

} // namespace

Result<SyncSummary> run_sync(config::Cli& cli, const config::Options& options,
                             const SyncRequest& request) {
  if (request.borg_list_json == "-" && request.borg_info_json == "-")
    return fail(ExitStatus::usage, "--borg-list-json and --borg-info-json cannot both read stdin");
  OM_TRY(catalog, app::open_catalog_with_settings(cli, options));
  OM_TRY(got, catalog.get_lock(k_sync_lock, 60));
  if (!got)
    return fail(ExitStatus::temp_fail, "another om-backup-sync has been running for over a minute");
  SyncSummary summary;
  {
    PhaseTimer timer("spool and abandoned jobs");
    housekeeping(catalog, options, summary);
  }
  auto archives = sync_archives(catalog, options, request, summary);
  auto logs = archives ? sync_logs(catalog, options, request, summary) : Result<void>{};
  (void)catalog.release_lock(k_sync_lock);
  if (!archives)
    return std::unexpected(archives.error());
  if (!logs)
    return std::unexpected(logs.error());
  return summary;
}

std::string SyncSummary::to_json(bool dry_run) const {
  util::JsonWriter w;
  w.begin_object()
      .field("dry_run", dry_run)
      .field("archives_seen", static_cast<std::int64_t>(archives_seen))
      .field("jobs_created", static_cast<std::int64_t>(jobs_created))
      .field("jobs_enriched", static_cast<std::int64_t>(jobs_enriched))
      .field("failed_runs", static_cast<std::int64_t>(failed_runs))
      .field("artifacts_removed", static_cast<std::int64_t>(artifacts_removed))
      .field("spool_flushed", static_cast<std::int64_t>(spool_flushed))
      .field("abandoned_closed", static_cast<std::int64_t>(abandoned_closed))
      .field("logs_read", static_cast<std::int64_t>(logs_read))
      .field("logs_unchanged", static_cast<std::int64_t>(logs_unchanged))
      .end_object();
  return w.str() + "\n";
}

std::string SyncSummary::to_text(bool dry_run) const {
  auto n = [](std::size_t v) { return std::to_string(v); };
  std::string verb = dry_run ? "would be " : "";
  return "archives seen: " + n(archives_seen) + "\njobs " + verb + "created: " + n(jobs_created) +
         "\njobs " + verb + "enriched: " + n(jobs_enriched) + "\nfailed runs found: " +
         n(failed_runs) + "\nartifacts " + verb + "removed: " + n(artifacts_removed) +
         "\nspool records written: " + n(spool_flushed) + "\nabandoned jobs closed: " +
         n(abandoned_closed) + "\nlogs read: " + n(logs_read) + " (unchanged: " +
         n(logs_unchanged) + ")\n";
}

} // namespace om::sync
