#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/check/level.hpp>
#include <om/check/record.hpp>
#include <om/config/target.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/integrity.hpp>
#include <om/prune/retention.hpp>
#include <om/util/error.hpp>

namespace om::check {

// How much one run may do on one target (check-budget, check-data-every,
// check-bytes-per-run; a target's own values override the tool's).
struct CheckLimits {
  std::int64_t budget_s = 3600;                         // wall time; 0: no limit
  std::int64_t data_every_s = std::int64_t{30} * 86400; // the local --verify-data
  std::int64_t bytes_per_run = std::int64_t{4} << 30;   // the offsite data rotation
  int last = 0;                                         // archives level: newest N (0: all)
};

// One target's verification in one run of om-backup-check.
struct TargetCheck {
  const config::Target& target;
  CheckLimits limits;
  std::vector<Level> levels; // in the order asked; run as archives, data, repository
  bool data_forced = false;  // --level data: the local --verify-data even when not due
  db::Catalog& catalog;
  std::string run_id;
  std::string host;
  std::string borg_command;
  prune::RetentionPolicy retention; // the target's keep_*: what it would never have pruned
};

// What one run found on one target: its levels' rows, and archives that vanished from it
// (raised as integrity events, once each).
struct TargetFindings {
  std::vector<CheckRow> rows;
  std::vector<jobs::IntegrityEvent> vanished;
};

// Verifies the target at each level, within its time budget: the archives' metadata first,
// then the data (the local repository's --verify-data when due; an offsite target's rotation
// of extract --dry-run within the byte budget), then the segments with what time is left
// (borg resumes where the previous partial check stopped). Each level's row is written to
// backup_checks as it ends and returned. Damage found is a row with outcome corrupt, never
// repaired. First the target's archives are compared with the catalog: one that is gone
// although om-backup did not prune it and the retention would have kept it vanished. An error
// here (the target's passphrase missing, the catalog gone) ends the target.
[[nodiscard]] Result<TargetFindings> check_target(const TargetCheck& check);

} // namespace om::check
