// om-backup-run: make one backup (borg, or legacy files/db/both) and record it in the catalog.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/copy/copy_tool.hpp>
#include <om/run/run_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::run::RunRequest request;
  om::config::Cli cli("om-backup-run", "Make one backup and record it in the job history.",
                      options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.add_path_options();
  cli.add_dump_options();
  cli.add_output_options();
  cli.add_backup_settings_options();
  cli.add_retention_options();
  cli.add_copy_options();
  auto& app = cli.app();
  bool copy = false;
  app.add_flag("--copy", copy,
               "After a successful borg backup, copy the repositories to their copy-to "
               "destinations (om-backup-copy, its own job)");
  app.add_option("--kind", request.kind, "What to back up")
      ->check(CLI::IsMember({"borg", "files", "db", "both"}))
      ->each([&](const std::string&) { request.kind_given = true; });
  std::string job_id;
  cli.add_option("--job-id", job_id, "Adopt this queued job (created by the web UI)",
                 "OM_BACKUP_JOB_ID");
  cli.add_option("--requested-by", request.requested_by,
                 "Who asked (default: cron, or your login name on a terminal)");
  cli.add_option("--archive-format", request.archive_format,
                 "Archive name format ({hostname}, {user}, {now[:fmt]}, {utcnow[:fmt]})");
  cli.add_option("--encryption", request.encryption,
                 "borg init --encryption mode for a new repository");
  cli.add_option("--mysqldump", request.mysqldump, "The mysqldump program");
  cli.add_option("--sendmail", request.sendmail,
                 "Mail command for notifications (reads the message on stdin)");
  cli.add_option("--on-success", request.on_success, "Command to run after a successful backup");
  cli.add_option("--on-failure", request.on_failure,
                 "Command to run after a failed or cancelled backup");
  app.add_option("--borg-timeout", request.borg_timeout_s,
                 "Seconds before a borg command is killed")
      ->check(CLI::PositiveNumber);
  app.add_flag("--if-due", request.if_due, "Run only if the schedule in backup_settings is due");
  app.add_flag("-n,--dry-run", options.dry_run, "Show what would be run; change nothing");

  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    if (!job_id.empty())
      request.adopt_job = job_id;
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    if (copy) {
      om::copy::CopyRequest copy_request;
      copy_request.requested_by = request.requested_by;
      copy_request.notify = request;
      copy_request.borg_timeout_s = request.borg_timeout_s;
      copy_request.progress = request.progress;
      request.after_borg_backup = [&options, copy_request] {
        auto copy_options = options; // --json: one document, the backup's
        copy_options.json = false;
        return om::copy::run_copy(copy_options, copy_request);
      };
    }
    return om::run::run_backup(options, request);
  });
}
