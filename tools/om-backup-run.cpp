// om-backup-run: make one backup (borg, or legacy files/db/both) and record it in the catalog.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/run/run_options.hpp>
#include <om/run/run_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::run::RunRequest request;
  om::config::Cli cli("om-backup-run", "Make one backup and record it in the job history.",
                      options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.drives_borg();
  cli.add_path_options();
  cli.add_dump_options();
  cli.add_output_options();
  cli.add_backup_settings_options();
  cli.add_retention_options();
  cli.add_copy_options();
  om::run::RunCommandLine line;
  om::run::add_run_options(cli, request, line);
  cli.app().add_flag("-n,--dry-run", options.dry_run, "Show what would be run; change nothing");

  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    if (!line.job_id.empty())
      request.adopt_job = line.job_id;
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::run::run_backup(options, request);
  });
}
