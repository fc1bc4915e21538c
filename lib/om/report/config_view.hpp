#pragma once

#include <string>
#include <vector>

#include <om/util/error.hpp>
#include <om/util/table.hpp>

// `om-backup-report config [--check]`: every setting of the suite as this machine's tools see
// it, with where it came from, and a check of the configuration as a whole.
namespace om::report {

struct ConfigRequest {
  std::vector<std::string> args; // the command line as given (its settings are shown)
  bool check = false;
  util::Format format = util::Format::table;
};

// Prints the settings: key, value (secrets only as "(set)"), origin (`command-line`,
// `environment`, `file:PATH:LINE`, `backup_settings`, `default`); JSON: an array of
// {"key","value","origin"}. With `check`, then every problem found with its fix: exit 78 when
// there is one, else 0.
[[nodiscard]] Result<ExitStatus> run_config(const ConfigRequest& request);

} // namespace om::report
