#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

// What the weekly digest is made of, read from the catalog for one period (docs/report.md, "Weekly
// digest").
struct DigestRun {
  std::string id;
  std::string kind;
  std::string status;  // success | failed | cancelled
  bool warned = false; // success with warnings
  std::int64_t created_at = 0;
  std::optional<std::int64_t> duration_ms;
  std::string first_error_line;
  std::string host;
};

struct LastSuccess {
  std::string what; // "borg backup", "target offsite", "copy to remote:path"
  std::optional<std::int64_t> at;
};

struct SizePoint {
  std::int64_t at = 0;
  std::int64_t original = 0;
  std::int64_t compressed = 0;
  std::int64_t deduplicated = 0; // new data the archive added to the repository
};

struct PruneEvent {
  std::int64_t at = 0;
  std::string host;
  std::string store; // borg | legacy
  std::string target;
};

struct Drill {
  std::int64_t at = 0;
  std::string host;
  std::string source;
  std::string status;
  std::string first_error_line;
};

// A restore of the period (backup_restores).
struct RestoreRun {
  std::int64_t at = 0;
  std::string host;
  std::string what; // files | db
  std::string source;
  std::string destination;
  std::string requested_by;
  std::string status; // running | success | failed | cancelled
  std::string first_error_line;
};

struct DigestData {
  std::int64_t since = 0;
  std::int64_t until = 0;
  std::vector<DigestRun> runs; // ended in the period, oldest first
  std::vector<LastSuccess> last_success;
  std::map<std::string, std::vector<SizePoint>> growth; // per target, oldest first
  std::map<std::string, std::int64_t> repository_now;   // per target: borg info, when it answers
  std::vector<std::pair<std::int64_t, std::int64_t>> legacy_bytes; // (at, bytes) per artifact
  std::vector<PruneEvent> prunes;                                  // newest first, at most 50
  std::int64_t prune_count = 0;
  std::vector<Drill> drills;        // newest first
  std::vector<RestoreRun> restores; // newest first, at most 50
  std::int64_t restore_count = 0;
  std::vector<std::int64_t> next_runs;
  std::string schedule; // "" when none, or backups are disabled
};

// Reads the period [since, until) from the catalog, with the existing indexes (created_at,
// (target, finished_at), pruned_at): a few thousand rows for a month, however long the
// history.
[[nodiscard]] Result<DigestData> collect_digest(db::Catalog& catalog,
                                                const config::Options& options, std::int64_t since,
                                                std::int64_t until);

} // namespace om::report
