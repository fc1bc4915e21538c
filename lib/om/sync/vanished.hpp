#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/jobs/integrity.hpp>
#include <om/prune/retention.hpp>
#include <om/sync/listed_archives.hpp>
#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::sync {

// An archive the catalog records in a repository that the repository's listing no longer has.
struct GoneArchive {
  std::string artifact_id;
  std::string archive_id;
  std::string name;
  std::optional<std::string> job_id;
  std::int64_t time = 0; // when its backup started
};

// The archives of `repository` the catalog records (artifact rows created before `before`, 0:
// all) that `listing` does not have.
[[nodiscard]] Result<std::vector<GoneArchive>> gone_archives(db::Catalog& catalog,
                                                             const std::string& repository,
                                                             const ListedArchives& listing,
                                                             std::int64_t before);

// Which gone archives vanished: om-backup did not prune them (no backup_prune_events row for
// the archive's id) and the target's retention, applied to the archives listed and the gone
// ones together, would have kept them. Its periods are those of `tz`, the zone of the listing's
// naive times: borg's own, as borg prune counts them (om-backup runs borg in UTC). The others were
// pruned (by om-backup, or by a script with the same policy): their artifact rows may go.
struct SortedGone {
  std::vector<GoneArchive> pruned;
  std::vector<GoneArchive> vanished;
};
[[nodiscard]] Result<SortedGone> sort_gone(db::Catalog& catalog, std::vector<GoneArchive> gone,
                                           const ListedArchives& listing,
                                           const prune::RetentionPolicy& retention,
                                           const date::time_zone* tz);

// Records each vanished archive of `target` as an integrity event (once); returns those new.
[[nodiscard]] Result<std::vector<jobs::IntegrityEvent>>
raise_vanished(db::Catalog& catalog, const std::string& target,
               const std::vector<GoneArchive>& vanished);

// The open vanished events as an error (exit 2) naming each archive and target and how to
// acknowledge them; nothing when there are none.
[[nodiscard]] Result<void> fail_on_open_vanished(db::Catalog& catalog);

} // namespace om::sync
