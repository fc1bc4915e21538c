#include <om/copy/copy_tool.hpp>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/copy/copy_job.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/log/logging.hpp>
#include <om/run/job_start.hpp>
#include <om/run/recorder.hpp>
#include <om/util/host.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::copy {
namespace {

constexpr const char* k_tool = "om-backup-copy";

std::string requester(const CopyRequest& request) {
  if (!request.requested_by.empty())
    return request.requested_by;
  return ::isatty(STDIN_FILENO) == 0 ? "cron" : util::login_name();
}

// A queued job of another kind is not ours to run: refused before it is claimed.
Result<void> check_queued_kind(db::Catalog* catalog, const CopyRequest& request) {
  if (!request.adopt_job || catalog == nullptr)
    return {};
  OM_TRY(job, jobs::JobStore(*catalog).find(*request.adopt_job));
  if (!job)
    return fail("cannot adopt job " + *request.adopt_job + ": no such job in backup_jobs");
  if (job->kind != jobs::Kind::copy)
    return fail(ExitStatus::usage, "cannot adopt job " + job->id + ": it was queued as kind '" +
                                       std::string(jobs::to_string(job->kind)) +
                                       "'; om-backup-copy runs jobs of kind 'copy'");
  return {};
}

run::Outcome copy_with_log(const CopyJob& job, const std::string& host) {
  auto log_path = log::open_run_log(job.options.log_dir,
                                    std::string(k_tool) + " " + std::string(k_version) + ": job " +
                                        job.recorder.job_id() + " kind copy host " + host +
                                        " pid " + std::to_string(::getpid()),
                                    "copy");
  if (!log_path)
    return run::Outcome::failed(ExitStatus::failed, "log folder " + job.options.log_dir + ": " +
                                                        log_path.error().message);
  job.recorder.set_log_path(*log_path);
  auto outcome = copy_targets(job);
  if (outcome.ok())
    spdlog::info("copy finished: {} destination(s)", job.recorder.record().artifacts.size());
  else
    spdlog::info("copy ended {}: {}", jobs::to_string(outcome.status), outcome.error.value_or(""));
  return outcome;
}

} // namespace

Result<ExitStatus> run_copy(config::Options& options, const CopyRequest& request) {
  const auto now = util::now_unix();
  const auto host = util::host_name();
  OM_TRY(maybe_catalog, run::connect_or_spool(options));
  db::Catalog* catalog = maybe_catalog ? &*maybe_catalog : nullptr;
  OM_TRY(targets, copy_sources(options));
  const Rclone rclone(options.rclone_command, options.rclone_config);
  if (options.dry_run)
    return print_copy_plan(options, targets, rclone, request.force);

  // 1. The queued job, then the locks a backup takes: this host's, each repository's.
  OM_TRY_VOID(check_queued_kind(catalog, request));
  run::JobPlaces places;
  for (const auto& t : targets) {
    places.places.push_back(t.repo);
    places.lock_names.push_back(lock::repository_lock(t.repo));
  }
  places.lock_wait_s = run::JobPlaces::lock_wait_of(targets);
  const run::Attempt attempt{jobs::Kind::copy, requester(request),
                             jobs::RunDetails{"", host, static_cast<std::int64_t>(::getpid()),
                                              "run", std::nullopt, places.places.front(),
                                              std::nullopt, std::nullopt}};
  OM_TRY(started,
         run::start_job(catalog, options, request.adopt_job, places, attempt, k_tool, now));

  // 2. The job, its log, the copies.
  run::JobRecorder recorder(catalog, options.state_dir);
  OM_TRY_VOID(
      recorder.start(jobs::Kind::copy, attempt.requested_by, started.adopted, attempt.details));
  started.host_lock.set_job(recorder.job_id());
  auto outcome = copy_with_log({options, request, targets, rclone, recorder, now}, host);

  // 3. The record, then whoever wants to know.
  return run::finish_job(recorder, outcome, catalog, places, options, request.notify);
}

} // namespace om::copy
