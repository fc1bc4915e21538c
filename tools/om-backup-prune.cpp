// om-backup-prune: retention for borg archives and legacy files, with borg's own rules.
#include <CLI/CLI.hpp>

#include <om/app/tool.hpp>
#include <om/prune/prune_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::prune::PruneRequest request;
  om::config::Cli cli("om-backup-prune", "Delete old backups by the retention policy.", options);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.drives_borg();
  cli.add_path_options();
  cli.add_output_options();
  cli.ping_at_start();
  cli.add_retention_options();
  cli.app()
      .add_option("--kind", request.kind, "Which store: borg, legacy or all")
      ->check(CLI::IsMember({"borg", "legacy", "all"}));
  cli.app().add_flag("--list", request.list, "Print keep/prune for every backup, with the rule");
  cli.app().add_flag("-n,--dry-run", options.dry_run, "Decide, print, delete nothing");
  cli.add_option("--archive-format", request.archive_format,
                 "Archive name format of om-backup-run (its fixed start limits pruning)");
  return om::app::run_tool(cli, argc, argv, [&] { return om::prune::run_prune(options, request); });
}
