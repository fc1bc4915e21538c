#pragma once

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include <om/borg/types.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::sync {

// Ids of every archive the catalog knows (artifacts and run details), loaded once per sync.
using KnownArchives = std::unordered_set<std::string>;
[[nodiscard]] Result<KnownArchives> load_known_archives(db::Catalog& catalog);

// What reconciling a repository's archives with the catalog will change.
struct ArchiveChanges {
  std::string repository; // as the catalog's file_path prefix: "<repo>::"
  std::size_t archives_seen = 0;
  std::vector<jobs::JobRecord> new_jobs; // archives no job knows: synthesized script jobs
  std::vector<jobs::Artifact> linked;    // archives of known jobs that lacked their artifact
  std::vector<std::string> removed_artifact_ids; // archives that left the repository
};

// Compares the listing (and borg info of the archives it has) with the catalog. `info` maps
// archive id → its borg info; archives without one get what the listing says. Fails, and
// plans nothing, when the listing is empty but the catalog knows archives of this repository.
[[nodiscard]] Result<ArchiveChanges> plan_archive_changes(
    db::Catalog& catalog, const KnownArchives& known, const std::string& repository,
    const borg::Listing& listing, const std::map<std::string, borg::Archive>& info,
    const date::time_zone* tz);

// The ids of listed archives the catalog does not know yet (they need borg info).
[[nodiscard]] std::vector<std::string> unknown_archive_ids(const KnownArchives& known,
                                                           const borg::Listing& listing);

// Writes the changes in one transaction; manifests go to <state-dir>/manifests/.
[[nodiscard]] Result<void> apply_archive_changes(db::Catalog& catalog, const ArchiveChanges& changes,
                                                 const std::string& state_dir,
                                                 const std::map<std::string, borg::Archive>& info);

} // namespace om::sync
