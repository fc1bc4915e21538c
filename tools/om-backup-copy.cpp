// om-backup-copy: copy the repositories to cloud storage with rclone, consistent and recorded.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/attempt/notify.hpp>
#include <om/copy/copy_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::copy::CopyRequest request;
  om::config::Cli cli("om-backup-copy",
                      "Copy the borg repositories to their rclone destinations (copy-to) and "
                      "record it in the job history.",
                      options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.drives_borg();
  cli.add_path_options();
  cli.add_output_options();
  cli.ping_at_start();
  cli.add_copy_options();
  cli.add_notification_options();
  auto& app = cli.app();
  app.add_flag("--no-check", request.no_check,
               "Copy without borg check --repository-only first (logged)");
  app.add_flag("--force", request.force,
               "Copy even when it would delete or replace more than --copy-max-delete percent "
               "of the destination's data segments");
  std::string job_id;
  cli.add_option("--job-id", job_id, "Adopt this queued copy job (created by the web UI)",
                 "OM_BACKUP_JOB_ID");
  cli.add_option("--requested-by", request.requested_by,
                 "Who asked (default: cron, or your login name on a terminal)");
  om::attempt::add_notify_options(cli, request.notify, "copy");
  app.add_option("--borg-timeout", request.borg_timeout_s,
                 "Seconds before a borg command is killed")
      ->check(CLI::PositiveNumber);
  app.add_flag("-n,--dry-run", options.dry_run,
               "Show what each copy would transfer and delete; change nothing");
  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    if (!job_id.empty())
      request.adopt_job = job_id;
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::copy::run_copy(options, request);
  });
}
