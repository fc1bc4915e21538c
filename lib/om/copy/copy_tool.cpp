#include <om/copy/copy_tool.hpp>

#include <iostream>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/copy/copy_job.hpp>
#include <om/jobs/spool.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/log/logging.hpp>
#include <om/run/job_start.hpp>
#include <om/run/notify.hpp>
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
  OM_TRY(adopted, run::claim_queued(catalog, request.adopt_job));
  lock::Holder me{adopted ? adopted->id : "", host, static_cast<long>(::getpid()), now, k_tool};
  auto host_lock = lock::HostLock::acquire(options.state_dir, me);
  if (!host_lock) {
    run::cancel_adopted(catalog, adopted, host_lock.error().message);
    return std::unexpected(host_lock.error());
  }
  std::vector<std::string> places;
  std::vector<std::string> lock_names;
  for (const auto& t : targets) {
    places.push_back(t.repo);
    lock_names.push_back(lock::repository_lock(t.repo));
  }
  if (catalog != nullptr) {
    if (auto locked = run::lock_destinations(*catalog, lock_names, places); !locked) {
      run::cancel_adopted(catalog, adopted, locked.error().message);
      return std::unexpected(locked.error());
    }
    jobs::JobStore store(*catalog);
    if (auto flushed = jobs::flush_spool(options.state_dir, store); !flushed)
      spdlog::warn("writing spooled records: {}", flushed.error().message);
    if (auto closed = store.close_abandoned(host, adopted ? adopted->id : "", k_tool); !closed)
      spdlog::warn("closing abandoned jobs: {}", closed.error().message);
  }

  // 2. The job, its log, the copies.
  run::JobRecorder recorder(catalog, options.state_dir);
  jobs::RunDetails details{"",           host,         static_cast<std::int64_t>(::getpid()),
                           "run",        std::nullopt, places.front(),
                           std::nullopt, std::nullopt};
  OM_TRY_VOID(recorder.start(jobs::Kind::copy, requester(request), adopted, details));
  host_lock->set_job(recorder.job_id());
  auto outcome = copy_with_log({options, request, targets, rclone, recorder, now}, host);

  // 3. The record, then whoever wants to know.
  auto spooled = recorder.finish(outcome.status, outcome.error);
  if (catalog != nullptr) {
    for (const auto& name : lock_names)
      (void)catalog->release_lock(name);
  }
  if (!spooled)
    return std::unexpected(
        spooled.error().context("job " + recorder.job_id() + " could not be recorded"));
  run::notify(options, request.notify, recorder.record());
  if (options.json)
    std::cout << jobs::record_to_json(recorder.record()) << std::flush;
  if (!outcome.ok())
    return fail(outcome.exit, outcome.error.value_or(std::string(jobs::to_string(outcome.status))));
  return outcome.exit;
}

} // namespace om::copy
