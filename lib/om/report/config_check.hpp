#pragma once

#include <string>
#include <vector>

#include <om/config/options.hpp>
#include <om/run/request.hpp>

namespace om::report {

// One finding of `config --check`: what is wrong and what to do, or (problem empty) what was
// found right.
struct Finding {
  std::string check;   // catalog, target NAME, log-dir, mysqldump, schedule, ping, ...
  std::string problem; // "" when the check passed
  std::string fix;     // what to do; for a passed check, what was seen
};

// Tests the configuration as a whole: the catalog reachable and its schema current; each
// target's repository reachable with the passphrase (one cheap borg call each); the folders
// the tools write exist (or can be made) and are writable by this user; mysqldump, pigz,
// rclone and sendmail present where the configuration needs them; the schedule parses (its
// next runs); each ping URL's server answers. Never changes anything.
[[nodiscard]] std::vector<Finding> check_configuration(const config::Options& options,
                                                       const run::RunRequest& run);

} // namespace om::report
