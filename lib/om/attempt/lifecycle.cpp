#include <om/attempt/lifecycle.hpp>

#include <algorithm>
#include <iostream>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/attempt/notify.hpp>
#include <om/config/catalog.hpp>
#include <om/jobs/spool.hpp>
#include <om/jobs/store.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/log/logging.hpp>
#include <om/ping/monitor.hpp>
#include <om/util/host.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::attempt {
namespace {

Result<std::optional<jobs::Job>> claim_queued(db::Catalog* catalog,
                                              const std::optional<std::string>& job_id) {
  if (!job_id)
    return std::optional<jobs::Job>{};
  if (catalog == nullptr)
    return fail(ExitStatus::unavailable,
                "cannot adopt job " + *job_id + ": the catalog is unreachable");
  OM_TRY(job, jobs::JobStore(*catalog).adopt(*job_id, util::now_unix()));
  return std::optional<jobs::Job>(std::move(job));
}

// A queued job this run claimed but cannot run now ends cancelled with the reason, so the UI
// stops waiting.
void cancel_adopted(db::Catalog* catalog, const std::optional<jobs::Job>& adopted,
                    const std::string& why) {
  if (catalog == nullptr || !adopted)
    return;
  auto cancelled = *adopted;
  cancelled.status = jobs::Status::cancelled;
  cancelled.error = why;
  cancelled.finished_at = util::now_unix();
  (void)jobs::JobStore(*catalog).finish(cancelled);
}

Result<void> lock_place(db::Catalog& catalog, const std::string& lock_name,
                        const std::string& place, int wait_s) {
  OM_TRY(got, catalog.get_lock(lock_name, 0));
  if (got)
    return {};
  if (wait_s > 0) {
    spdlog::info("another backup of {} is running; waiting up to {} s (lock-wait) for it", place,
                 wait_s);
    OM_TRY(waited, catalog.get_lock(lock_name, wait_s));
    if (waited)
      return {};
  }
  auto who = jobs::JobStore(catalog).describe_running(place);
  return fail(ExitStatus::temp_fail,
              "another backup of " + place +
                  " is running: " + (who && *who ? **who : "on another host sharing this catalog"));
}

// Every place's lock, or none: a refusal lets go of those already taken.
Result<void> lock_places(db::Catalog& catalog, const JobPlaces& p) {
  for (std::size_t i = 0; i < p.places.size(); ++i) {
    if (auto locked = lock_place(catalog, p.lock_names[i], p.places[i], p.lock_wait_s); !locked) {
      for (std::size_t j = 0; j < i; ++j)
        (void)catalog.release_lock(p.lock_names[j]);
      return locked;
    }
  }
  return {};
}

// The attempt another host's job kept from running, in the history as cancelled with the
// reason (the claimed job, or a new one): the record of a backup that did not happen.
void record_refused(db::Catalog& catalog, const config::Options& options,
                    const std::optional<jobs::Job>& adopted, const Attempt& attempt,
                    const std::string& why) {
  JobRecorder refused(&catalog, options.state_dir);
  if (auto started = refused.start(attempt.kind, attempt.requested_by, adopted, attempt.details);
      !started) {
    spdlog::warn("recording the refused attempt: {}", started.error().message);
    return;
  }
  if (auto written = refused.finish(jobs::Status::cancelled, why); !written)
    spdlog::warn("recording the refused attempt: {}", written.error().message);
}

// What a tool holds once its job may start.
struct Started {
  std::optional<jobs::Job> adopted; // the UI's queued job, claimed
  lock::HostLock host_lock;         // one job at a time on this host
};

Result<Started> start_job(db::Catalog* catalog, const config::Options& options,
                          const std::optional<std::string>& adopt_job, const JobPlaces& places,
                          const Attempt& attempt, const char* tool, std::int64_t now) {
  const auto host = util::host_name();
  OM_TRY(adopted, claim_queued(catalog, adopt_job));
  lock::Holder me{adopted ? adopted->id : "", host, static_cast<long>(::getpid()), now, tool};
  auto host_lock = lock::HostLock::acquire(options.state_dir, me);
  if (!host_lock) {
    cancel_adopted(catalog, adopted, host_lock.error().message);
    return std::unexpected(host_lock.error());
  }
  if (catalog != nullptr) {
    if (auto locked = lock_places(*catalog, places); !locked) {
      if (locked.error().status == ExitStatus::temp_fail)
        record_refused(*catalog, options, adopted, attempt, locked.error().message);
      else
        cancel_adopted(catalog, adopted, locked.error().message);
      return std::unexpected(locked.error());
    }
    jobs::JobStore store(*catalog);
    if (auto flushed = jobs::flush_spool(options.state_dir, store); !flushed)
      spdlog::warn("writing spooled records: {}", flushed.error().message);
    if (auto closed = store.close_abandoned(host, adopted ? adopted->id : "", tool); !closed)
      spdlog::warn("closing abandoned jobs: {}", closed.error().message);
  }
  return Started{std::move(adopted), std::move(*host_lock)};
}

Result<ExitStatus> finish_job(JobRecorder& recorder, const Outcome& outcome, db::Catalog* catalog,
                              const JobPlaces& places, const config::Options& options,
                              const NotifySettings& notify_settings) {
  auto spooled = recorder.finish(outcome.status, outcome.error);
  if (catalog != nullptr) {
    for (const auto& name : places.lock_names)
      (void)catalog->release_lock(name);
  }
  if (!spooled)
    return std::unexpected(
        spooled.error().context("job " + recorder.job_id() + " could not be recorded"));
  notify(options, notify_settings, recorder.record());
  ping::current().set_job_json(jobs::record_to_json(recorder.record()));
  if (options.json)
    std::cout << jobs::record_to_json(recorder.record()) << std::flush;
  if (outcome.status == jobs::Status::success && outcome.error)
    spdlog::warn("{}", outcome.error->substr(outcome.error->starts_with("warning: ") ? 9 : 0));
  if (!outcome.ok())
    return fail(outcome.exit, outcome.error.value_or(std::string(jobs::to_string(outcome.status))));
  return outcome.exit;
}

// The job's log: its first line names the tool, the job and this process.
Outcome work_with_log(const RecordedAttempt& a, JobRecorder& recorder, const Work& work) {
  const auto header = std::string(a.tool) + " " + std::string(k_version) + ": job " +
                      recorder.job_id() + " kind " + std::string(jobs::to_string(a.attempt.kind)) +
                      " host " + a.attempt.details.host + " pid " + std::to_string(::getpid()) +
                      a.log_header_extra;
  auto log_path = log::open_run_log(a.options.log_dir, header, a.log_prefix);
  if (!log_path)
    return Outcome::failed(ExitStatus::failed,
                           "log folder " + a.options.log_dir + ": " + log_path.error().message);
  recorder.set_log_path(*log_path);
  return work(recorder);
}

} // namespace

Result<std::optional<db::Catalog>> connect_or_spool(config::Options& options) {
  auto catalog = config::open_catalog_with_settings(options);
  if (catalog)
    return std::optional<db::Catalog>(std::move(*catalog));
  if (catalog.error().status != ExitStatus::unavailable)
    return std::unexpected(catalog.error());
  spdlog::warn("{}; going on anyway, the record will be spooled", catalog.error().message);
  return std::optional<db::Catalog>{};
}

int JobPlaces::lock_wait_of(const std::vector<config::Target>& targets) {
  int wait = k_default_lock_wait_s;
  for (const auto& t : targets)
    wait = std::max(wait, t.lock_wait_s.value_or(k_default_lock_wait_s));
  return wait;
}

JobPlaces JobPlaces::repositories(std::vector<std::string> repos, int lock_wait_s) {
  JobPlaces out{.places = std::move(repos), .lock_wait_s = lock_wait_s};
  for (const auto& repo : out.places)
    out.lock_names.push_back(lock::repository_lock(repo));
  return out;
}

Result<ExitStatus> run_recorded(const RecordedAttempt& a, const Work& work) {
  auto attempt = a.attempt;
  if (!a.places.places.empty())
    attempt.details.repository = a.places.places.front();
  OM_TRY(started, start_job(a.catalog, a.options, a.adopt_job, a.places, attempt, a.tool, a.now));
  if (a.on_started)
    OM_TRY_VOID(a.on_started());
  JobRecorder recorder(a.catalog, a.options.state_dir);
  recorder.record_progress(a.record_progress);
  OM_TRY_VOID(recorder.start(attempt.kind, attempt.requested_by, started.adopted, attempt.details,
                             a.progress_target));
  started.host_lock.set_job(recorder.job_id());
  const auto outcome = work_with_log(a, recorder, work);
  return finish_job(recorder, outcome, a.catalog, a.places, a.options, a.notify);
}

} // namespace om::attempt
