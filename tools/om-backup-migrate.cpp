// om-backup-migrate: create or upgrade the catalog tables (idempotent, additive), show their
// state, or roll back to a version.
#include <CLI/CLI.hpp>

#include <om/app/tool.hpp>
#include <om/migrate/migrate_tool.hpp>

// CLI11 throws only for a malformed option definition, which every test run would show.
int main(int argc, char** argv) { // NOLINT(bugprone-exception-escape)
  om::config::Options options;
  om::migrate::MigrateRequest request;
  om::config::Cli cli("om-backup-migrate",
                      "Create or upgrade the om-backup tables in the catalog database.", options);
  cli.add_catalog_options();
  cli.add_output_options();
  cli.app().add_flag("--status", request.status, "List applied and pending migrations");
  cli.app()
      .add_option("--to", request.to,
                  "Bring the schema to version N: up, or back (refuses to destroy rows)")
      ->check(CLI::NonNegativeNumber);
  cli.app().get_option("--status")->excludes("--to");
  return om::app::run_tool(cli, argc, argv,
                           [&] { return om::migrate::run_migrate(options, request); });
}
