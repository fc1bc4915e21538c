#include <om/copy/copy_tool.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/attempt/lifecycle.hpp>
#include <om/attempt/requester.hpp>
#include <om/copy/copy_job.hpp>
#include <om/jobs/store.hpp>
#include <om/util/host.hpp>
#include <om/util/time.hpp>

namespace om::copy {
namespace {

constexpr const char* k_tool = "om-backup-copy";

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

attempt::Outcome copy_logged(const CopyJob& job) {
  auto outcome = copy_targets(job);
  if (outcome.ok())
    spdlog::info("copy finished: {} destination(s)", job.recorder.record().artifacts.size());
  else
    spdlog::info("copy ended {}: {}", jobs::to_string(outcome.status), outcome.error.value_or(""));
  return outcome;
}

} // namespace

void add_copy_options(config::Cli& cli, CopyRequest& request, CopyCommandLine& line) {
  cli.add_borg_tool_options();
  cli.ping_at_start();
  cli.add_copy_options();
  cli.add_notification_options();
  auto& app = cli.app();
  app.add_flag("--no-check", request.no_check,
               "Copy without borg check --repository-only first (logged)");
  app.add_flag("--force", request.force,
               "Copy even when it would delete or replace more than --copy-max-delete percent "
               "of the destination's data segments");
  cli.add_option("--job-id", line.job_id, "Adopt this queued copy job (created by the web UI)",
                 "OM_BACKUP_JOB_ID");
  cli.add_option("--requested-by", request.requested_by,
                 "Who asked (default: cron, or your login name on a terminal)");
  attempt::add_notify_options(cli, request.notify, "copy");
  app.add_option("--borg-timeout", request.borg_timeout_s,
                 "Seconds before a borg command is killed")
      ->check(CLI::PositiveNumber);
  app.add_flag("-n,--dry-run", cli.options().dry_run,
               "Show what each copy would transfer and delete; change nothing");
}

Result<ExitStatus> run_copy(config::Options& options, const CopyRequest& request) {
  const auto now = util::now_unix();
  const auto host = util::host_name();
  OM_TRY(maybe_catalog, attempt::connect_or_spool(options));
  db::Catalog* catalog = maybe_catalog ? &*maybe_catalog : nullptr;
  OM_TRY(targets, copy_sources(options));
  const Rclone rclone(options.rclone_command, options.rclone_config);
  if (options.dry_run)
    return print_copy_plan(options, targets, rclone, request.force);

  // The queued job, then the locks a backup takes (this host's, each repository's), the job,
  // its log, the copies, its record, whoever wants to know.
  OM_TRY_VOID(check_queued_kind(catalog, request));
  std::vector<std::string> repos;
  for (const auto& t : targets)
    repos.push_back(t.repo);
  const attempt::RecordedAttempt recorded{
      .options = options,
      .tool = k_tool,
      .catalog = catalog,
      .adopt_job = request.adopt_job,
      .places = attempt::JobPlaces::repositories(std::move(repos),
                                                 attempt::JobPlaces::lock_wait_of(targets)),
      .attempt = {.kind = jobs::Kind::copy,
                  .requested_by = attempt::requester(request.requested_by),
                  .details = {.host = host,
                              .pid = static_cast<std::int64_t>(::getpid()),
                              .origin = "run"}},
      .notify = request.notify,
      .log_prefix = "copy",
      .now = now};
  return attempt::run_recorded(recorded, [&](attempt::JobRecorder& recorder) {
    return copy_logged({options, request, targets, rclone, recorder, now});
  });
}

} // namespace om::copy
