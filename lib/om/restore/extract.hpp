#pragma once

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/progress/job_progress.hpp>
#include <om/restore/restore_tool.hpp>
#include <om/restore/source.hpp>
#include <om/util/error.hpp>

namespace om::restore {

// A folder a restore writes into: made (0700) when absent; one that holds anything is refused
// (exit 64: "<who><dir> is not empty (use --force to <verb> into it)") unless `force`.
[[nodiscard]] Result<void> prepare_folder(const std::string& dir, bool force,
                                          const std::string& who, const std::string& verb);

// The application tree (or `r.paths` of it) from `s` into `r.to_dir`, which must be empty or
// absent unless `r.force`. A legacy artifact is checked against the catalog and for members
// that would land outside the target first. How far it is goes to `row` when given.
[[nodiscard]] Result<ExitStatus> restore_files(const config::Options& o, const RestoreRequest& r,
                                               const Source& s, const borg::Client& client,
                                               progress::JobProgress* row = nullptr);

// A db restore names one place for the dump: --database (a valid name) or --to-file (64).
[[nodiscard]] Result<void> check_db_destination(const RestoreRequest& r);

// The database dump of `s`, streamed into `r.database` (which must have no tables unless
// `r.force`) or only into the file `r.to_file`. How far it is goes to `row` when given.
[[nodiscard]] Result<ExitStatus> restore_db(const config::Options& o, const RestoreRequest& r,
                                            const Source& s, const borg::Client& client,
                                            progress::JobProgress* row = nullptr);

} // namespace om::restore
