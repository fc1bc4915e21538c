// om-backup-migrate: create or upgrade the catalog tables (idempotent, additive), show their
// state, or roll back to a version.
#include <om/app/tool.hpp>
#include <om/migrate/migrate_tool.hpp>

int main(int argc, char** argv) { // NOLINT(bugprone-exception-escape)
  om::config::Options options;
  om::migrate::MigrateRequest request;
  om::config::Cli cli("om-backup-migrate",
                      "Create or upgrade the om-backup tables in the catalog database.", options);
  om::migrate::add_migrate_options(cli, request);
  return om::app::run_tool(cli, argc, argv,
                           [&] { return om::migrate::run_migrate(options, request); });
}
