#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <om/borg/types.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/prune/retention.hpp>
#include <om/sync/listed_archives.hpp>
#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::sync {

// Ids of every archive the catalog knows (artifacts, run details, targets' results), loaded
// once per sync.
using KnownArchives = std::unordered_set<std::string>;
[[nodiscard]] Result<KnownArchives> load_known_archives(db::Catalog& catalog);

// Whose archives a sync reads: a target's name and repository, and the zone of the naive times
// in borg's JSON.
struct Source {
  std::string target;
  std::string repository;
  const date::time_zone* tz = nullptr;
  // When borg was asked for the listing, by the catalog's clock (0: unknown, a listing from a
  // file). An artifact recorded in that second or later (another host's run ending meanwhile)
  // is not judged by this listing: the next sync's tells whether its archive is gone.
  std::int64_t listed_at = 0;
  // The target's keep_*: an archive gone that it would have kept (and om-backup did not
  // prune) vanished.
  prune::RetentionPolicy retention;
};

// What reconciling a repository's archives changed (or, in a dry run, would change).
struct ArchiveCounts {
  std::size_t archives_seen = 0;
  std::size_t jobs_created = 0; // archives no job knew: synthesized script jobs
  std::size_t jobs_linked = 0;  // archives of known jobs (killed runs) that lacked their artifact
  std::size_t artifacts_removed = 0; // archives pruned from the repository: their rows go
  std::size_t archives_vanished = 0; // gone unexplained: their rows stay, an event marks them
};

// Reconciles one repository's listing with the catalog, taking each archive's borg info as it
// is read (the info of years of archives is never in memory at once). All rows go in one
// transaction, written a batch at a time and committed by finish(); an error on the way (a
// piece of JSON that does not parse, the server) rolls everything back and removes the
// manifests written, so a failed sync changes nothing.
class ArchiveSync {
public:
  // Fails, changing nothing, when the listing is empty but the catalog records archives of
  // this repository. `listing` must outlive the ArchiveSync.
  [[nodiscard]] static Result<std::unique_ptr<ArchiveSync>>
  start(db::Catalog& catalog, const KnownArchives& known, const Source& source,
        const ListedArchives& listing, const std::string& state_dir, bool dry_run);
  ~ArchiveSync();
  ArchiveSync(const ArchiveSync&) = delete;
  ArchiveSync& operator=(const ArchiveSync&) = delete;

  // One archive's borg info; only a listed archive the catalog does not know is used.
  [[nodiscard]] Result<void> add(const borg::Archive& info);
  // Names of the archives the catalog does not know that no `add` has described yet.
  [[nodiscard]] std::vector<std::string> undescribed() const;
  // Archives borg info did not describe get what the listing says; then removals and commit.
  [[nodiscard]] Result<ArchiveCounts> finish();

private:
  struct State;
  explicit ArchiveSync(std::unique_ptr<State> state);
  [[nodiscard]] Result<void> take(std::uint32_t index, const borg::Archive* info);
  [[nodiscard]] Result<void> flush();
  std::unique_ptr<State> m;
};

// The ids of listed archives the catalog does not know yet (they need borg info).
[[nodiscard]] std::vector<std::string> unknown_archive_ids(const KnownArchives& known,
                                                           const ListedArchives& listing);

} // namespace om::sync
