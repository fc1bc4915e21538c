#pragma once

#include <map>
#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::config {

// The backup_settings row the UI edits: the one with the highest id. Column name → value
// (nullopt for SQL NULL). Empty when the table has no row.
using SettingsRow = std::map<std::string, std::optional<std::string>>;

[[nodiscard]] Result<SettingsRow> load_settings(db::Catalog& catalog);

} // namespace om::config
