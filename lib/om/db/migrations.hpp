#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::db {

// One numbered schema step from sql/NNN_name.{up,down}.sql, embedded at build time.
struct Migration {
  int version;
  const char* name;
  const char* up_sql;
  const char* down_sql;
};

// Every migration, ascending by version (generated from sql/ by cmake/EmbedSql.cmake).
[[nodiscard]] std::span<const Migration> embedded_migrations();
// The schema version this build expects.
[[nodiscard]] int latest_schema_version();

// A statement of a migration file, and the guards that must count zero before a down step.
struct Guard {
  std::string what; // "backup_jobs rows with kind 'borg'"
  std::string count_sql;
};
struct MigrationScript {
  std::vector<std::string> statements;
  std::vector<Guard> guards;
};
// Splits a migration file into statements (ending in ';' at a line end) and
// `-- om:guard WHAT :: SELECT COUNT(*) ...` lines.
[[nodiscard]] MigrationScript parse_migration_script(std::string_view text);

struct MigrationState {
  int version;
  std::string name;
  std::optional<std::string> applied_at; // nullopt: pending
};

// Applied and pending migrations, ascending.
[[nodiscard]] Result<std::vector<MigrationState>> migration_status(Catalog& catalog);
// The highest applied version, 0 for none (or no bookkeeping table yet).
[[nodiscard]] Result<int> current_schema_version(Catalog& catalog);
// Applies every pending migration up to `upto` (default: all) in order; returns the versions
// applied (none: a no-op).
[[nodiscard]] Result<std::vector<int>> migrate_up(Catalog& catalog,
                                                  int upto = latest_schema_version());
// Rolls back to `target` with the down scripts, newest first. A down step whose guards count
// rows it would destroy is refused before anything of it runs.
[[nodiscard]] Result<std::vector<int>> migrate_down_to(Catalog& catalog, int target);

// Every tool but om-backup-migrate calls this first: a schema behind this build is a
// configuration error (exit 78) that says to run om-backup-migrate.
[[nodiscard]] Result<void> require_current_schema(Catalog& catalog);

} // namespace om::db
