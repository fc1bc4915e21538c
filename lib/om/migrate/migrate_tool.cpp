#include <om/migrate/migrate_tool.hpp>

#include <cstdio>

#include <CLI/CLI.hpp>

#include <om/config/catalog.hpp>
#include <om/db/migrations.hpp>
#include <om/util/json_writer.hpp>

namespace om::migrate {
namespace {

void print_status(const std::vector<db::MigrationState>& states, bool json) {
  if (!json) {
    for (const auto& s : states)
      std::printf("%03d  %-20s  %s\n", s.version, s.name.c_str(),
                  s.applied_at ? ("applied " + *s.applied_at).c_str() : "pending");
    return;
  }
  util::JsonWriter w;
  w.begin_array();
  for (const auto& s : states)
    w.begin_object()
        .field("version", static_cast<std::int64_t>(s.version))
        .field("name", s.name)
        .field("applied", s.applied_at.has_value())
        .end_object();
  w.end_array();
  std::printf("%s\n", w.str().c_str());
}

void print_applied(bool down, const std::vector<int>& versions, int schema_version) {
  util::JsonWriter w;
  w.begin_object().field("direction", down ? "down" : "up").key("versions").begin_array();
  for (int v : versions)
    w.value(static_cast<std::int64_t>(v));
  w.end_array().field("schema_version", static_cast<std::int64_t>(schema_version)).end_object();
  std::printf("%s\n", w.str().c_str());
}

} // namespace

void add_migrate_options(config::Cli& cli, MigrateRequest& request) {
  cli.add_catalog_options();
  cli.add_output_options();
  auto& app = cli.app();
  app.add_flag("--status", request.status, "List applied and pending migrations");
  app.add_option("--to", request.to,
                 "Bring the schema to version N: up, or back (refuses to destroy rows)")
      ->check(CLI::NonNegativeNumber);
  app.get_option("--status")->excludes("--to");
}

Result<ExitStatus> run_migrate(const config::Options& options, const MigrateRequest& request) {
  auto unhurried = options;
  unhurried.catalog.read_timeout_s = 0; // a table rebuilt to utf8mb4 answers when it is done
  OM_TRY(catalog, config::open_catalog(unhurried, false));
  if (request.status) {
    OM_TRY(states, db::migration_status(catalog));
    print_status(states, options.json);
    return ExitStatus::ok;
  }
  OM_TRY(before, db::current_schema_version(catalog));
  const bool down = request.to >= 0 && request.to < before;
  const int target = request.to >= 0 ? request.to : db::latest_schema_version();
  OM_TRY(applied, down ? db::migrate_down_to(catalog, target) : db::migrate_up(catalog, target));
  if (options.json)
    print_applied(down, applied, target);
  return ExitStatus::ok;
}

} // namespace om::migrate
