#pragma once

#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::migrate {

// What om-backup-migrate was asked.
struct MigrateRequest {
  bool status = false; // list applied and pending migrations, change nothing
  int to = -1;         // bring the schema to this version, up or back; -1: the latest
};

// Every option of om-backup-migrate (also read by `om-backup-report config`).
void add_migrate_options(config::Cli& cli, MigrateRequest& request);

// om-backup-migrate: creates or upgrades the catalog's tables (idempotent, additive), lists
// their state, or rolls back to a version (refusing one that would destroy rows). Prints
// the state (--status) or what was applied (--json).
[[nodiscard]] Result<ExitStatus> run_migrate(const config::Options& options,
                                             const MigrateRequest& request);

} // namespace om::migrate
