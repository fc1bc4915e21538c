#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/table.hpp>

namespace om::report {

struct DiffRequest {
  std::string from;                  // a job id or an archive name
  std::optional<std::string> to;     // none: `from` is a job, compared with its previous backup
  std::vector<std::string> paths;    // only these (and what is under them)
  bool all = false;                  // timestamp-only changes too
  std::optional<std::string> target; // which repository an archive name (or a job) is in
  util::Format format = util::Format::table;
};

// What changed between two backups (docs/report.md, `diff`): two borg archives of one
// repository through `borg diff --json-lines` (streamed: each change printed as borg finds
// it with --json), two legacy `files` backups from their tar listings (never extracted).
// Rows: path, change (added, removed, modified, mode, owner, link; time with --all),
// size_before, size_after (what the source tells: borg gives no sizes for a modified file).
// A job whose archive or tar is gone (pruned) is an error (exit 2) naming it.
[[nodiscard]] Result<void> run_diff(db::Catalog& catalog, const config::Options& options,
                                    const DiffRequest& request);

} // namespace om::report
