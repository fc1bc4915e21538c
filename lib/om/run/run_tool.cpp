#include <om/run/run_tool.hpp>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <om/attempt/lifecycle.hpp>
#include <om/attempt/requester.hpp>
#include <om/borg/client.hpp>
#include <om/borg/version.hpp>
#include <om/copy/copy_tool.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/log/logging.hpp>
#include <om/ping/monitor.hpp>
#include <om/proc/interrupt.hpp>
#include <om/run/borg_backup.hpp>
#include <om/run/borg_targets.hpp>
#include <om/run/legacy_backup.hpp>
#include <om/run/schedule.hpp>
#include <om/util/host.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::run {
namespace {

constexpr const char* k_tool = "om-backup-run";

Result<jobs::Kind> resolve_kind(db::Catalog* catalog, const RunRequest& request) {
  auto asked = jobs::parse_kind(request.kind);
  if (!asked)
    return fail(ExitStatus::usage, "--kind: '" + request.kind + "' is not borg, files, db or both");
  if (!request.adopt_job || catalog == nullptr)
    return *asked;
  jobs::JobStore store(*catalog);
  OM_TRY(job, store.find(*request.adopt_job));
  if (!job)
    return fail("cannot adopt job " + *request.adopt_job + ": no such job in backup_jobs");
  if (job->kind == jobs::Kind::copy)
    return fail(ExitStatus::usage,
                "cannot adopt job " + job->id +
                    ": it was queued as a copy; om-backup-copy --job-id runs it");
  if (request.kind_given && job->kind != *asked)
    return fail("cannot adopt job " + job->id + ": it was queued as kind '" +
                std::string(jobs::to_string(job->kind)) + "', not '" + request.kind + "'");
  return job->kind;
}

// What a run writes, under its catalog locks: each repository (borg), or the backup root.
attempt::JobPlaces job_places(std::vector<std::string> places, bool is_borg, int lock_wait_s) {
  if (is_borg)
    return attempt::JobPlaces::repositories(std::move(places), lock_wait_s);
  const auto root = places.front(); // destinations(): the legacy backup root alone
  return {.places = std::move(places),
          .lock_names = {lock::legacy_root_lock(root)},
          .lock_wait_s = lock_wait_s};
}

// --dry-run: what a run would do, changing nothing.
void print_plan(const config::Options& options, const RunRequest& request, jobs::Kind kind,
                const BorgTargets& borg, std::int64_t now) {
  attempt::JobRecorder unused(nullptr, options.state_dir);
  const auto host = util::host_name();
  LegacyBackup legacy_backup{options, request, kind, unused, now, host};
  for (const auto& line :
       kind == jobs::Kind::borg
           ? describe_borg_backup(borg.backups(options, request, unused, nullptr))
           : describe_legacy_backup(legacy_backup))
    std::cout << line << "\n";
}

// What a run locks in the catalog: every target's repository, or the legacy backup root.
std::vector<std::string> destinations(const config::Options& options, const BorgTargets& borg,
                                      bool is_borg) {
  if (!is_borg)
    return {options.backup_root};
  std::vector<std::string> out;
  out.reserve(borg.plans.size() + 1);
  for (const auto& plan : borg.plans)
    out.push_back(plan.repo);
  if (out.empty() && !options.repo.empty())
    out.push_back(options.repo);
  return out;
}

// What a run's work needs.
struct Backup {
  const config::Options& options;
  const RunRequest& request;
  jobs::Kind kind;
  const BorgTargets& borg;
  db::Catalog* catalog; // null while the catalog is down
  std::int64_t now;
};

// The backup of the job's kind; every failure comes back as the Outcome.
attempt::Outcome make_backup(const Backup& b, attempt::JobRecorder& recorder) {
  if (b.kind != jobs::Kind::borg)
    return run_legacy_backup(
        LegacyBackup{b.options, b.request, b.kind, recorder, b.now, util::host_name()});
  if (b.borg.plan_error)
    return attempt::Outcome::failed(b.borg.plan_error->status, b.borg.plan_error->message);
  std::optional<jobs::JobStore> store;
  if (b.catalog != nullptr)
    store.emplace(*b.catalog);
  return run_borg_backup(b.borg.backups(b.options, b.request, recorder, store ? &*store : nullptr));
}

void log_outcome(const attempt::Outcome& outcome, const config::Options& options, jobs::Kind kind,
                 const attempt::JobRecorder& recorder) {
  if (outcome.ok() && !outcome.error)
    spdlog::info("backup finished: {}",
                 kind == jobs::Kind::borg
                     ? recorder.record().details.archive_name.value_or("")
                     : std::string(jobs::to_string(kind)) + " in " + options.backup_root);
  else
    spdlog::info("backup ended {}: {}", jobs::to_string(outcome.status),
                 outcome.error.value_or(""));
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  spdlog::info("om-backup-run itself: peak RSS {} KiB", self.ru_maxrss);
}

// One backup, recorded; `borg_made`: it was a borg backup, and it succeeded.
Result<ExitStatus> backup(config::Options& options, const RunRequest& request, bool& borg_made) {
  const auto now = util::now_unix();
  const auto host = util::host_name();
  OM_TRY(maybe_catalog, attempt::connect_or_spool(options));
  db::Catalog* catalog = maybe_catalog ? &*maybe_catalog : nullptr;

  if (request.if_due) {
    OM_TRY(due, is_due(options, now));
    if (!due)
      return ExitStatus::ok;
  }
  ping::work_begins(); // due (or asked for): the monitoring services hear of it from here on
  OM_TRY(kind, resolve_kind(catalog, request));
  const bool is_borg = kind == jobs::Kind::borg;

  BorgTargets borg;
  if (is_borg) {
    OM_TRY(resolved, borg_targets(options, request, util::now_unix_us(), host, util::login_name()));
    borg = std::move(resolved);
  }

  if (options.dry_run) {
    if (borg.plan_error)
      return std::unexpected(*borg.plan_error);
    print_plan(options, request, kind, borg, now);
    return ExitStatus::ok;
  }

  // The job, recorded: this host's lock, then every host sharing the catalog, per repository
  // (borg) or backup root (legacy); its log; the backup; its record; whoever wants to know.
  std::string borg_in_log;
  if (auto version = borg::require_supported(options.borg_command); version && *version)
    borg_in_log = " borg " + (*version)->text;
  const Backup work{.options = options,
                    .request = request,
                    .kind = kind,
                    .borg = borg,
                    .catalog = catalog,
                    .now = now};
  OM_TRY(status,
         attempt::run_recorded(
             {.options = options,
              .tool = k_tool,
              .catalog = catalog,
              .adopt_job = request.adopt_job,
              .places = job_places(destinations(options, borg, is_borg), is_borg,
                                   attempt::JobPlaces::lock_wait_of(borg.targets)),
              .attempt = {.kind = kind,
                          .requested_by = attempt::requester(request.requested_by, request.if_due),
                          .details = {.host = host,
                                      .pid = static_cast<std::int64_t>(::getpid()),
                                      .origin = "run"}},
              .notify = request.notify,
              .log_header_extra = borg_in_log,
              .progress_target = is_borg && !borg.targets.empty() ? borg.targets.front().name : "",
              .record_progress = request.record_progress,
              .now = now,
              .on_started = [&]() -> Result<void> {
                if (request.if_due)
                  return mark_scheduled_run(options, now);
                return {};
              }},
             [&](attempt::JobRecorder& recorder) {
               auto outcome = make_backup(work, recorder);
               log_outcome(outcome, options, kind, recorder);
               return outcome;
             }));
  borg_made = is_borg;
  return status;
}

} // namespace

Result<ExitStatus> run_backup(config::Options& options, const RunRequest& request) {
  bool borg_made = false;
  OM_TRY(status, backup(options, request, borg_made));
  // The backup's locks are let go by now: what comes after takes its own.
  if (!borg_made || !request.copy)
    return status;
  // --copy: a job of its own; --json stays one document, the backup's.
  auto copy_options = options;
  copy_options.json = false;
  OM_TRY(copied, copy::run_copy(copy_options, {.adopt_job = std::nullopt,
                                               .requested_by = request.requested_by,
                                               .notify = request.notify,
                                               .borg_timeout_s = request.borg_timeout_s,
                                               .progress = request.progress}));
  return std::max(status, copied);
}

} // namespace om::run
