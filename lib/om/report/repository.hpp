#pragma once

#include <future>
#include <vector>

#include <optional>

#include <om/borg/types.hpp>
#include <om/config/options.hpp>
#include <om/config/target.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/table.hpp>

namespace om::report {

// A target repository's totals (`borg info --json REPO`), or nullopt when it cannot be reached:
// a local path that does not exist (borg is not even started), or borg fails (said at info
// level, -v). Statistics never fail because borg does.
[[nodiscard]] std::optional<borg::RepositoryStats> repository_totals(const config::Options& options,
                                                                     const config::Target& target);

// Every target's totals, asked of borg at once (borg is slow to start, more so over ssh): the
// caller reads them when it has done its own work. `targets` must outlive the futures.
[[nodiscard]] std::vector<std::future<std::optional<borg::RepositoryStats>>>
ask_repository_totals(const config::Options& options, const std::vector<config::Target>& targets);

// The totals as a one-row table (table/CSV) or object (JSON).
[[nodiscard]] util::Table repository_table(const borg::RepositoryStats& stats);

// Every target's archives (--target: those targets'), target by target, newest first, joined
// with the catalog: the job that made each (by the archive's id), or null job columns for an
// archive the catalog does not know (run sync); `unknown` counts those, checkpoints aside. A
// target borg cannot list is a warning naming it (`unreachable`); when none can be listed, an
// error.
struct ArchivesReport {
  util::Table archives;
  std::size_t unknown = 0;
  std::vector<std::string> unreachable;
};
[[nodiscard]] Result<ArchivesReport> list_archives(db::Catalog& catalog,
                                                   const config::Options& options);

} // namespace om::report
