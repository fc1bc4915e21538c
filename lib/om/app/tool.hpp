#pragma once

#include <functional>
#include <string>

#include <om/config/cli.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::app {

// The shared start of every tool: logging, interrupt handling, the command line parsed with
// its layers. Turns the body's Result into "tool: error: message" on stderr and an exit code;
// nothing else prints errors. Exceptions from third-party code are caught here.
int run_tool(config::Cli& cli, int argc, char** argv,
             const std::function<Result<ExitStatus>()>& body);

// Connects to the catalog; with `require_schema`, a schema behind this build is exit 78.
[[nodiscard]] Result<db::Catalog> open_catalog(const config::Options& options,
                                               bool require_schema = true);

// Connects, checks the schema and applies the backup_settings row to options nothing set.
[[nodiscard]] Result<db::Catalog> open_catalog_with_settings(config::Cli& cli,
                                                             const config::Options& options);

} // namespace om::app
