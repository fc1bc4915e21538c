#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <om/check/level.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::check {

// One verification of one target at one level: its row in backup_checks.
struct CheckRow {
  std::string run_id;
  std::string host;
  std::string target;
  std::string repository;
  Level level = Level::repository;
  Outcome outcome = Outcome::success;
  std::string covered; // what was read: segments, archives, objects
  std::optional<std::int64_t> bytes_read;
  std::optional<double> cycle_share; // after this run; 1 when a cycle completed
  bool cycle_complete = false;
  std::optional<std::int64_t> cycle_started_at; // unix seconds
  std::optional<std::int64_t> time_limit_s;     // repository level: borg's --max-duration
  std::int64_t started_at = 0;                  // unix seconds
  std::int64_t finished_at = 0;
  std::int64_t duration_ms = 0;
  std::optional<std::string> error;
};

[[nodiscard]] Result<void> insert_check(db::Catalog& catalog, const CheckRow& row);

// Where a target's current cycle at `level` stands: when it began (nullopt: a new one begins
// with the next run, as none is under way) and the newest successful verification.
struct CycleState {
  std::optional<std::int64_t> cycle_started_at;
  std::optional<std::int64_t> previous_cycle_ended_at; // when the last complete one finished
  std::optional<std::int64_t> last_success_at;
  // How long the newest time-limited run took beyond its limit (borg's start, its last
  // segment, its end), in ms.
  std::optional<std::int64_t> overshoot_ms;

  // When a cycle that begins with a run started at `now` begins: never in the second the
  // previous one ended, so that what that one read is never counted in this one.
  [[nodiscard]] std::int64_t new_cycle_start(std::int64_t now) const {
    return previous_cycle_ended_at ? std::max(now, *previous_cycle_ended_at + 1) : now;
  }
};
[[nodiscard]] Result<CycleState> cycle_state(db::Catalog& catalog, const std::string& target,
                                             Level level);

// The offsite data rotation's memory (backup_check_archives): archive name → when it was
// last read back whole.
[[nodiscard]] Result<std::map<std::string, std::int64_t>>
verified_archives(db::Catalog& catalog, const std::string& target);
[[nodiscard]] Result<void> mark_verified(db::Catalog& catalog, const std::string& target,
                                         const std::string& archive_name,
                                         const std::string& archive_id, std::int64_t at);
// What om-backup-run recorded of the target's archives: name → compressed size.
[[nodiscard]] Result<std::map<std::string, std::int64_t>>
recorded_archive_sizes(db::Catalog& catalog, const std::string& target);

} // namespace om::check
