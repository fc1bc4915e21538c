#pragma once

#include <span>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::config {

// Every key a config file may hold: the long options of every om-backup tool, so one file
// (/etc/om-backup/om-backup.conf) serves them all. A test keeps it in step with the tools.
[[nodiscard]] std::span<const std::string_view> known_config_keys();

// Checks the keys of an INI/TOML config file against known_config_keys(): an unknown key is
// a configuration error (exit 78) that names the file, the line and the key.
[[nodiscard]] Result<void> check_config_keys(const std::string& path, std::string_view text);

} // namespace om::config
