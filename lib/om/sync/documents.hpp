#pragma once

#include <functional>
#include <string>

#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/sync/archives.hpp>
#include <om/sync/listed_archives.hpp>
#include <om/sync/sync_tool.hpp>
#include <om/util/error.hpp>

namespace om::sync {

// The repository as sync reads it: its listing (whole, compact) and, when some archives are
// new to the catalog, a way to hand their `borg info` to an ArchiveSync a piece at a time.
struct Documents {
  Source source;
  ListedArchives listing;
  std::function<Result<void>(ArchiveSync&)> feed; // the archives' borg info; empty: none
};

// From --borg-list-json / --borg-info-json (files, or "-" for standard input): the local
// target's (--repo, else the repository the listing names). The info document (the big one:
// years of archives with their stats) is read only when the listing has archives the catalog
// does not know.
[[nodiscard]] Result<Documents> from_files(const config::Options& options,
                                           const SyncRequest& request, const KnownArchives& known);

// From borg itself, in `target`'s repository: `borg list --json`, then one
// `borg info --json --last K` covering every archive the catalog does not know.
[[nodiscard]] Result<Documents> from_borg(const config::Options& options,
                                          const config::Target& target, const KnownArchives& known);

} // namespace om::sync
