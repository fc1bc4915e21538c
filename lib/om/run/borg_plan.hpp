#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/borg/commands.hpp>
#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/prune/retention.hpp>
#include <om/run/request.hpp>
#include <om/util/error.hpp>

namespace om::run {

// What a borg backup will do, worked out before anything runs: shown as is by --dry-run,
// and followed by the real run.
struct BorgPlan {
  std::string repo;
  std::string archive;
  std::string prefix;                   // this host's archives: prune never looks further
  std::vector<std::string> sources;     // folders archived
  std::vector<std::string> create_args; // borg arguments, starting with "create"
  prune::RetentionPolicy policy;        // the target's keep_* rules
  std::vector<std::string> prune_args;  // empty when every keep_* is 0
  std::vector<std::string> compact_args;
  std::vector<std::string> check_args;
  std::string database;               // empty: no dump
  std::string dump_name;              // path of the dump inside the archive: database/<db>.sql
  std::vector<std::string> dump_args; // mysqldump arguments after its --defaults-file

  [[nodiscard]] std::string archive_location() const { return borg::cmd::location(repo, archive); }
};

// The plan for one target (config::resolve_targets made its keep_* whole). `now_us`:
// microseconds since the epoch, for the archive name, the same for every target.
[[nodiscard]] Result<BorgPlan> plan_borg_backup(const config::Options& options,
                                                const config::Target& target,
                                                const RunRequest& request, std::int64_t now_us,
                                                const std::string& hostname,
                                                const std::string& user);

// borg's compression spec for backup_settings.compression_level: N → zstd,N; 0 → lz4.
[[nodiscard]] Result<std::string> compression_spec(int level);

} // namespace om::run
