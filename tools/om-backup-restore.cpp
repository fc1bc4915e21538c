// om-backup-restore: get the application files and the database back.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/restore/restore_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::restore::RestoreRequest request;
  om::config::Cli cli("om-backup-restore", "Restore files or a database from a backup.", options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.drives_borg();
  cli.add_path_options();
  cli.add_dump_options();
  cli.add_output_options();
  cli.add_copy_options();
  cli.app().add_flag("-n,--dry-run", options.dry_run, "Show what would be restored, and where");
  om::restore::add_restore_commands(cli, request);
  return om::app::run_tool(cli, argc, argv, [&] {
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::restore::run_restore(options, request);
  });
}
