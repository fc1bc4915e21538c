// om-backup-sync: bring backups made outside om-backup-run (the old cron script, borg by hand,
// other hosts) into the job history, from the borg repository and the log folder.
#include <CLI/CLI.hpp>

#include <om/app/tool.hpp>
#include <om/sync/sync_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::sync::SyncRequest request;
  om::config::Cli cli("om-backup-sync",
                      "Reconcile the borg repository and backup logs into the job history.",
                      options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.drives_borg();
  cli.add_path_options();
  cli.add_output_options();
  cli.ping_at_start();
  cli.add_option(
      "--borg-list-json", request.borg_list_json,
      "Read `borg list --json` output from FILE (- for stdin) instead of the repository");
  cli.add_option("--borg-info-json", request.borg_info_json,
                 "Read `borg info --json` output from FILE (- for stdin)");
  cli.add_option("--borg-tz", request.borg_tz,
                 "Time zone of the times in those files (default: this machine's)");
  cli.add_option("--log-tz", request.log_tz,
                 "Time zone of the times in the logs (default: this machine's)");
  cli.app().add_flag("-n,--dry-run", options.dry_run, "Report what would change; change nothing");

  return om::app::run_tool(cli, argc, argv, [&] { return om::sync::run_sync(options, request); });
}
