#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

// Monitoring-plugin states: these are the exit codes of `om-backup-report check`.
enum class CheckState { ok = 0, warning = 1, critical = 2, unknown = 3 };

struct CheckOptions {
  std::int64_t max_age_s = std::int64_t{26} * 3600;    // the last success may be this old
  std::int64_t max_runtime_s = std::int64_t{6} * 3600; // a job may run this long
  std::optional<std::string> kind;                     // nullopt: any kind
  std::optional<std::string> schedule;                 // cron expression: also flag a missed run
  std::vector<std::string> targets; // further targets (not local), each checked on its own
  std::optional<std::int64_t> max_copy_age_s; // set: each copy destination is checked
  std::vector<std::string> copy_destinations; // configured (copy-to); empty: those recorded
  std::optional<std::string> host;            // only this host's jobs (several hosts, one catalog)
  // Set: once om-backup-check has recorded anything, each of `checked_targets` must have had its
  // data verified within this.
  std::optional<std::int64_t> max_verify_age_s;
  std::vector<std::string> checked_targets; // every configured target, local among them
};

struct CheckResult {
  CheckState state = CheckState::unknown;
  std::string line; // "OM-BACKUP OK - … | perfdata"
};

// CRITICAL: no success within max-age, or the last attempt failed; or a target's last success
// is older than max-age (or there is none). WARNING: the last attempt succeeded with warnings,
// a target's last attempt failed, a job runs longer than max-runtime (naming its host: one
// that has not been heard from since), or a scheduled run was missed. Problems of a target name it.
// With max-copy-age, each copy destination's newest copy older than it is a WARNING, older than
// twice it (or none) CRITICAL, naming the destination. An integrity event not acknowledged (an
// archive vanished, a mass change) and damage om-backup-check found (and no clean cycle since
// has cleared) are CRITICAL; data not verified within max-verify-age WARNING.
[[nodiscard]] Result<CheckResult> check_backups(db::Catalog& catalog, const CheckOptions& options,
                                                std::int64_t now);

// The UNKNOWN line for an error (catalog down, bad arguments).
[[nodiscard]] CheckResult unknown_result(const std::string& why);

} // namespace om::report
