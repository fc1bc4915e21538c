#include <om/run/run_tool.hpp>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/borg/client.hpp>
#include <om/borg/version.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/log/logging.hpp>
#include <om/ping/monitor.hpp>
#include <om/proc/interrupt.hpp>
#include <om/run/borg_backup.hpp>
#include <om/run/borg_targets.hpp>
#include <om/run/job_start.hpp>
#include <om/run/legacy_backup.hpp>
#include <om/run/recorder.hpp>
#include <om/run/schedule.hpp>
#include <om/util/host.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::run {
namespace {

constexpr const char* k_tool = "om-backup-run";

std::string default_requester(const RunRequest& request) {
  if (!request.requested_by.empty())
    return request.requested_by;
  if (request.if_due || ::isatty(STDIN_FILENO) == 0)
    return "cron";
  return util::login_name();
}

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

std::vector<std::string> lock_names(const std::vector<std::string>& places, bool is_borg) {
  std::vector<std::string> out;
  out.reserve(places.size());
  for (const auto& place : places)
    out.push_back(is_borg ? lock::repository_lock(place) : lock::legacy_root_lock(place));
  return out;
}

// --dry-run: what a run would do, changing nothing.
void print_plan(const config::Options& options, const RunRequest& request, jobs::Kind kind,
                const BorgTargets& borg, std::int64_t now) {
  JobRecorder unused(nullptr, options.state_dir);
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

// What step 3 of a run needs.
struct Backup {
  const config::Options& options;
  const RunRequest& request;
  jobs::Kind kind;
  const BorgTargets& borg;
  JobRecorder& recorder;
  db::Catalog* catalog; // null while the catalog is down
  std::int64_t now;
};

// The job's log, then the backup of its kind; every failure comes back as the Outcome.
Outcome make_backup(const Backup& b) {
  const auto& options = b.options;
  const auto host = util::host_name();
  auto header = std::string(k_tool) + " " + std::string(k_version) + ": job " +
                b.recorder.job_id() + " kind " + std::string(jobs::to_string(b.kind)) + " host " +
                host + " pid " + std::to_string(::getpid());
  if (auto borg = borg::require_supported(options.borg_command); borg && *borg)
    header += " borg " + (*borg)->text;
  auto log_path = log::open_run_log(options.log_dir, header);
  if (!log_path)
    return Outcome::failed(ExitStatus::failed,
                           "log folder " + options.log_dir + ": " + log_path.error().message);
  b.recorder.set_log_path(*log_path);
  if (b.kind != jobs::Kind::borg)
    return run_legacy_backup(LegacyBackup{options, b.request, b.kind, b.recorder, b.now, host});
  if (b.borg.plan_error)
    return Outcome::failed(b.borg.plan_error->status, b.borg.plan_error->message);
  std::optional<jobs::JobStore> store;
  if (b.catalog != nullptr)
    store.emplace(*b.catalog);
  return run_borg_backup(b.borg.backups(options, b.request, b.recorder, store ? &*store : nullptr));
}

void log_outcome(const Outcome& outcome, const config::Options& options, jobs::Kind kind,
                 const JobRecorder& recorder) {
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
  OM_TRY(maybe_catalog, connect_or_spool(options));
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

  // 1. The job the UI queued is ours, or another run's. Then one backup at a time: this host
  // (flock), then every host sharing the catalog, per repository (borg) or backup root (legacy).
  JobPlaces places{destinations(options, borg, is_borg), {}};
  places.lock_names = lock_names(places.places, is_borg);
  places.lock_wait_s = JobPlaces::lock_wait_of(borg.targets);
  const std::string destination = places.places.empty() ? std::string() : places.places.front();
  const Attempt attempt{kind, default_requester(request),
                        jobs::RunDetails{"", host, static_cast<std::int64_t>(::getpid()), "run",
                                         std::nullopt, destination, std::nullopt, std::nullopt}};
  OM_TRY(started, start_job(catalog, options, request.adopt_job, places, attempt, k_tool, now));
  if (request.if_due)
    OM_TRY_VOID(mark_scheduled_run(options, now));

  // 2. The job: created, or adopted from the UI's queue.
  JobRecorder recorder(catalog, options.state_dir);
  recorder.record_progress(request.record_progress);
  OM_TRY_VOID(recorder.start(kind, attempt.requested_by, started.adopted, attempt.details,
                             is_borg && !borg.targets.empty() ? borg.targets.front().name : ""));
  started.host_lock.set_job(recorder.job_id());

  // 3. Its log, then the backup itself.
  Outcome outcome = make_backup({options, request, kind, borg, recorder, catalog, now});
  log_outcome(outcome, options, kind, recorder);

  // 4. The record, then whoever wants to know.
  OM_TRY(status, finish_job(recorder, outcome, catalog, places, options, request));
  borg_made = is_borg;
  return status;
}

} // namespace

Result<ExitStatus> run_backup(config::Options& options, const RunRequest& request) {
  bool borg_made = false;
  OM_TRY(status, backup(options, request, borg_made));
  // The backup's locks are let go by now: what comes after takes its own.
  if (!borg_made || !request.after_borg_backup)
    return status;
  OM_TRY(after, request.after_borg_backup());
  return std::max(status, after);
}

} // namespace om::run
