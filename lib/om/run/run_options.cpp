#include <om/run/run_options.hpp>

#include <CLI/CLI.hpp>

namespace om::run {

void add_run_options(config::Cli& cli, RunRequest& request, RunCommandLine& line) {
  cli.add_borg_tool_options();
  cli.add_dump_options();
  cli.add_backup_settings_options();
  cli.add_retention_options();
  cli.add_copy_options();
  auto& app = cli.app();
  app.add_flag("--copy", request.copy,
               "After a successful borg backup, copy the repositories to their copy-to "
               "destinations (om-backup-copy, its own job)");
  app.add_option("--kind", request.kind, "What to back up")
      ->check(CLI::IsMember({"borg", "files", "db", "both"}))
      ->each([&request](const std::string&) { request.kind_given = true; });
  cli.add_option("--job-id", line.job_id, "Adopt this queued job (created by the web UI)",
                 "OM_BACKUP_JOB_ID");
  cli.add_option("--requested-by", request.requested_by,
                 "Who asked (default: cron, or your login name on a terminal)");
  cli.add_option("--archive-format", request.archive_format,
                 "Archive name format ({hostname}, {user}, {now[:fmt]}, {utcnow[:fmt]})");
  cli.add_option("--encryption", request.encryption,
                 "borg init --encryption mode for a new repository");
  cli.add_option("--mysqldump", request.mysqldump, "The mysqldump program");
  attempt::add_notify_options(cli, request.notify, "backup");
  app.add_option("--borg-timeout", request.borg_timeout_s,
                 "Seconds before a borg command is killed")
      ->check(CLI::PositiveNumber);
  app.add_flag("--if-due", request.if_due, "Run only if the schedule in backup_settings is due");
  app.add_option("--record-progress", request.record_progress,
                 "Keep the job's row in backup_job_progress current while it runs (yes)");
  app.add_option("--record-changes", request.record_changes,
                 "Record what each borg backup changed since the previous one (yes)");
  app.add_option("--anomaly-factor", request.anomaly.factor,
                 "A backup changing more files than this × the usual is an anomaly that stops "
                 "every prune until acknowledged (5; 0: off)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--anomaly-min-files", request.anomaly.min_files,
                 "... and more files than this (500)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-n,--dry-run", cli.options().dry_run, "Show what would be run; change nothing");
}

} // namespace om::run
