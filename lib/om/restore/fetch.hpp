#pragma once

#include <string>

#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::restore {

// om-backup-restore fetch: downloads a cloud copy (REMOTE:PATH) into `to_dir` (empty or
// absent unless `force`), makes it consistent (an interrupted copy's partial uploads, past the
// newest whole transaction, are set aside in DIR/.om-backup/set-aside), checks it with
// `borg check --repository-only` (falling back to the previous transaction if the newest does
// not check), gives it borg security and cache folders of its own, and prints the --repo to
// restore from. Returns the repository's path.
[[nodiscard]] Result<std::string> fetch_copy(const config::Options& options,
                                             const std::string& from, const std::string& to_dir,
                                             bool force, bool progress);

} // namespace om::restore
