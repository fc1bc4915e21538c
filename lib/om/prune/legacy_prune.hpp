#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/jobs/history.hpp>
#include <om/prune/retention.hpp>
#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::prune {

// A successful legacy job and its files: the unit the policy keeps or prunes (a `both` job's
// two files live and die together). The files are loaded only for the jobs that are pruned.
struct LegacyBackup {
  std::string job_id;
  std::string kind;
  std::int64_t time = 0;
  struct File {
    std::string artifact_id;
    std::string path;
    std::string manifest_path;
  };
};

struct LegacyDecision {
  LegacyBackup backup;
  Decision decision;
};

// Applies the policy per kind (files, db, both) to the legacy backups the catalog recorded.
// The newest successful backup of each kind is always kept.
[[nodiscard]] Result<std::vector<LegacyDecision>>
plan_legacy_prune(db::Catalog& catalog, const RetentionPolicy& policy, const date::time_zone* tz);

struct LegacyPruneResult {
  std::size_t backups_pruned = 0;
  std::vector<std::string> warnings; // files that could not be removed (their rows stay)
};

// Deletes what the plan prunes: per job, its files first (only files it recorded, only under
// `backup_root`), then, in one transaction, the rows of the files that are gone and a prune
// record each. A file already gone loses its row.
[[nodiscard]] Result<LegacyPruneResult> apply_legacy_prune(db::Catalog& catalog,
                                                           const std::vector<LegacyDecision>& plan,
                                                           const std::string& backup_root,
                                                           const jobs::PruneRecord& context);

// borg's wording for --list: "Keeping backup (rule: daily #1): …" or "Would prune: …".
[[nodiscard]] std::string describe_decision(const LegacyDecision& d, bool dry_run,
                                            const date::time_zone* tz);

} // namespace om::prune
