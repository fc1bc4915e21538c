#pragma once

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::config {

// Connects to the catalog `options` name; with `require_schema`, a schema behind this build is
// exit 78 ("run om-backup-migrate").
[[nodiscard]] Result<db::Catalog> open_catalog(const Options& options, bool require_schema = true);

// Connects, checks the schema and fills the options nothing else set from the backup_settings
// row (the lowest layer but the defaults, docs/configuration.md).
[[nodiscard]] Result<db::Catalog> open_catalog_with_settings(Options& options);

} // namespace om::config
