// om-backup-migrate: create or upgrade the catalog tables (idempotent, additive), show their
// state, or roll back to a version.
#include <iostream>

#include <CLI/CLI.hpp>

#include <om/app/tool.hpp>
#include <om/db/migrations.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::config::Cli cli("om-backup-migrate",
                      "Create or upgrade the om-backup tables in the catalog database.", options);
  cli.add_catalog_options();
  cli.add_output_options();
  bool status = false;
  int to = -1;
  cli.app().add_flag("--status", status, "List applied and pending migrations");
  cli.app().add_option("--to", to, "Bring the schema to version N: up, or back (refuses to destroy rows)")
      ->check(CLI::NonNegativeNumber);
  cli.app().get_option("--status")->excludes("--to");

  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    OM_TRY(catalog, om::app::open_catalog(options, false));
    if (status) {
      OM_TRY(states, om::db::migration_status(catalog));
      for (const auto& s : states) {
        if (options.json)
          continue;
        std::printf("%03d  %-20s  %s\n", s.version, s.name.c_str(),
                    s.applied_at ? ("applied " + *s.applied_at).c_str() : "pending");
      }
      if (options.json) {
        std::cout << "[";
        for (std::size_t i = 0; i < states.size(); ++i)
          std::cout << (i ? "," : "") << "{\"version\":" << states[i].version << ",\"name\":\""
                    << states[i].name << "\",\"applied\":" << (states[i].applied_at ? "true" : "false")
                    << "}";
        std::cout << "]\n";
      }
      return om::ExitStatus::ok;
    }
    OM_TRY(before, om::db::current_schema_version(catalog));
    const bool down = to >= 0 && to < before;
    auto done = down ? om::db::migrate_down_to(catalog, to)
                     : om::db::migrate_up(catalog, to >= 0 ? to : om::db::latest_schema_version());
    if (!done)
      return std::unexpected(done.error());
    if (options.json) {
      std::cout << "{\"direction\":\"" << (down ? "down" : "up") << "\",\"versions\":[";
      for (std::size_t i = 0; i < done->size(); ++i)
        std::cout << (i ? "," : "") << (*done)[i];
      std::cout << "],\"schema_version\":" << (to >= 0 ? to : om::db::latest_schema_version())
                << "}\n";
    }
    return om::ExitStatus::ok;
  });
}
