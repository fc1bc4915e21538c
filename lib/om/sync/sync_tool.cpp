#include <om/sync/sync_tool.hpp>

#include <cstdio>
#include <future>
#include <optional>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/borg/target_client.hpp>
#include <om/config/catalog.hpp>
#include <om/jobs/spool.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/sync/archives.hpp>
#include <om/sync/documents.hpp>
#include <om/sync/logs.hpp>
#include <om/sync/vanished.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::sync {
namespace {

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

// One repository's documents into the catalog, in one transaction.
Result<void> sync_repository(db::Catalog& catalog, const config::Options& options,
                             const KnownArchives& known, const Documents& docs,
                             SyncSummary& summary) {
  PhaseTimer timer("reconciling archives");
  OM_TRY(sync, ArchiveSync::start(catalog, known, docs.source, docs.listing, options.state_dir,
                                  options.dry_run));
  if (docs.feed) {
    auto fed = docs.feed(*sync);
    if (!fed)
      return std::unexpected(fed.error().context("reading the repository's archives"));
  }
  OM_TRY(counts, sync->finish());
  summary.archives_seen += counts.archives_seen;
  summary.jobs_created += counts.jobs_created;
  summary.jobs_enriched += counts.jobs_linked;
  summary.artifacts_removed += counts.artifacts_removed;
  summary.archives_vanished += counts.archives_vanished;
  return {};
}

Result<void> sync_target(db::Catalog& catalog, const config::Options& options,
                         const config::Target& target, const KnownArchives& known,
                         SyncSummary& summary) {
  std::optional<PhaseTimer> timer(std::in_place, "reading the listing");
  // The catalog's clock, as artifacts' created_at is: hosts' clocks may differ.
  OM_TRY(clock, catalog.query_one("SELECT UNIX_TIMESTAMP()"));
  auto docs = from_borg(options, target, known);
  if (!docs)
    return std::unexpected(docs.error().context("reading the repository's archives"));
  if (clock)
    docs->source.listed_at = clock->integer(0);
  timer.reset();
  return sync_repository(catalog, options, known, *docs, summary);
}

// Every target's repository, each in a transaction of its own: a target that cannot be read
// (its host down) is a warning naming it and the others are still synced; when none can be,
// the sync fails.
Result<void> sync_archives(db::Catalog& catalog, const config::Options& options,
                           const SyncRequest& request, SyncSummary& summary) {
  OM_TRY(known, load_known_archives(catalog));
  if (!request.borg_list_json.empty() || !request.borg_info_json.empty()) {
    auto docs = from_files(options, request, known);
    if (!docs)
      return std::unexpected(docs.error().context("reading the repository's archives"));
    return sync_repository(catalog, options, known, *docs, summary);
  }
  OM_TRY(targets, config::resolve_targets(options));
  if (targets.empty()) {
    spdlog::info("no repository configured: only logs are synced");
    return {};
  }
  OM_TRY(failed, borg::for_each_target(
                     targets,
                     [&](const config::Target& target) {
                       return sync_target(catalog, options, target, known, summary);
                     },
                     " (its archives are synced next time)"));
  summary.targets_failed = std::move(failed);
  return {};
}

Result<void> sync_logs(db::Catalog& catalog, const config::Options& options, ReadLogs read,
                       SyncSummary& summary) {
  std::optional<PhaseTimer> timer(std::in_place, "deciding log changes");
  OM_TRY(changes, plan_log_changes(catalog, std::move(read), util::now_unix()));
  timer.emplace("writing log changes");
  summary.logs_read = changes.changes.size();
  summary.logs_unchanged = changes.files_unchanged;
  for (const auto& c : changes.changes) {
    if (c.new_job && c.new_job->job.status == jobs::Status::failed)
      ++summary.failed_runs;
    else if (c.new_job)
      ++summary.jobs_created;
    if (c.enrich_job)
      ++summary.jobs_enriched;
  }
  if (!options.dry_run)
    OM_TRY_VOID(apply_log_changes(catalog, changes));
  for (const auto& skipped : changes.skipped)
    spdlog::warn("log {} skipped: {} (read again once it changes)",
                 util::escape_controls(skipped.file.path), skipped.reason);
  summary.logs_skipped = changes.skipped.size();
  return {};
}

// The archives, then the logs (which may name an archive synced a moment ago). The log files
// are read meanwhile on the other core: that part needs no catalog.
Result<void> sync_all(db::Catalog& catalog, const config::Options& options,
                      const SyncRequest& request, SyncSummary& summary) {
  OM_TRY(tz, util::find_zone(request.log_tz));
  OM_TRY(ingested, load_ingested_logs(catalog));
  auto reading = std::async(std::launch::async, [&ingested, &options, tz] {
    PhaseTimer timer("reading logs");
    return read_changed_logs(ingested, options.log_dir, tz, util::now_unix());
  });
  auto archives = sync_archives(catalog, options, request, summary);
  auto read = reading.get();
  if (!archives)
    return archives;
  if (!read)
    return std::unexpected(read.error());
  return sync_logs(catalog, options, std::move(*read), summary);
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
  auto lock = lock::HostLock::acquire(options.state_dir, {"", host, static_cast<long>(::getpid()),
                                                          util::now_unix(), "om-backup-sync"});
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

Result<SyncSummary> sync_history(config::Options& options, const SyncRequest& request) {
  if (request.borg_list_json == "-" && request.borg_info_json == "-")
    return fail(ExitStatus::usage, "--borg-list-json and --borg-info-json cannot both read stdin");
  OM_TRY(catalog, config::open_catalog_with_settings(options));
  OM_TRY(got, catalog.get_lock(lock::k_sync_lock, 60));
  if (!got)
    return fail(ExitStatus::temp_fail, "another om-backup-sync has been running for over a minute");
  SyncSummary summary;
  {
    PhaseTimer timer("spool and abandoned jobs");
    housekeeping(catalog, options, summary);
  }
  auto synced = sync_all(catalog, options, request, summary);
  (void)catalog.release_lock(lock::k_sync_lock);
  if (!synced)
    return std::unexpected(synced.error());
  // History is never deleted because a repository changed under us: what vanished fails the
  // sync until an admin acknowledges it.
  if (!options.dry_run) {
    if (auto open = fail_on_open_vanished(catalog); !open)
      summary.vanished = open.error();
  }
  return summary;
}

void add_sync_options(config::Cli& cli, SyncRequest& request) {
  cli.add_borg_tool_options();
  cli.ping_at_start();
  cli.add_retention_options(); // an archive gone that they would keep vanished
  cli.add_option(
      "--borg-list-json", request.borg_list_json,
      "Read `borg list --json` output from FILE (- for stdin) instead of the repository");
  cli.add_option("--borg-info-json", request.borg_info_json,
                 "Read `borg info --json` output from FILE (- for stdin)");
  cli.add_option("--borg-tz", request.borg_tz,
                 "Time zone of the times in those files (default: this machine's)");
  cli.add_option("--log-tz", request.log_tz,
                 "Time zone of the times in the logs (default: this machine's)");
  cli.app().add_flag("-n,--dry-run", cli.options().dry_run,
                     "Report what would change; change nothing");
}

Result<ExitStatus> run_sync(config::Options& options, const SyncRequest& request) {
  OM_TRY(summary, sync_history(options, request));
  if (options.json)
    std::fputs(summary.to_json(options.dry_run).c_str(), stdout);
  else if (options.verbose > 0 || options.dry_run)
    std::fputs(summary.to_text(options.dry_run).c_str(), stdout);
  if (summary.vanished)
    return std::unexpected(*summary.vanished);
  return summary.logs_skipped > 0 || !summary.targets_failed.empty() ? ExitStatus::warning
                                                                     : ExitStatus::ok;
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
      .field("archives_vanished", static_cast<std::int64_t>(archives_vanished))
      .field("spool_flushed", static_cast<std::int64_t>(spool_flushed))
      .field("abandoned_closed", static_cast<std::int64_t>(abandoned_closed))
      .field("logs_read", static_cast<std::int64_t>(logs_read))
      .field("logs_unchanged", static_cast<std::int64_t>(logs_unchanged))
      .field("logs_skipped", static_cast<std::int64_t>(logs_skipped))
      .key("targets_failed")
      .begin_array();
  for (const auto& name : targets_failed)
    w.value(name);
  w.end_array().end_object();
  return w.str() + "\n";
}

std::string SyncSummary::to_text(bool dry_run) const {
  auto n = [](std::size_t v) { return std::to_string(v); };
  std::string verb = dry_run ? "would be " : "";
  return "archives seen: " + n(archives_seen) + "\njobs " + verb + "created: " + n(jobs_created) +
         "\njobs " + verb + "enriched: " + n(jobs_enriched) +
         "\nfailed runs found: " + n(failed_runs) + "\nartifacts " + verb +
         "removed: " + n(artifacts_removed) + "\narchives vanished: " + n(archives_vanished) +
         "\nspool records written: " + n(spool_flushed) +
         "\nabandoned jobs closed: " + n(abandoned_closed) + "\nlogs read: " + n(logs_read) +
         " (unchanged: " + n(logs_unchanged) + ", skipped: " + n(logs_skipped) + ")\n" +
         (targets_failed.empty() ? std::string()
                                 : "targets not read: " + util::join(targets_failed, ", ") + "\n");
}

} // namespace om::sync
