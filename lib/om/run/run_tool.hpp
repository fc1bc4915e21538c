#pragma once

#include <om/config/options.hpp>
#include <om/run/request.hpp>
#include <om/util/error.hpp>

namespace om::run {

// om-backup-run: takes the lock, records the attempt, makes the backup of the asked kind,
// records the result (or spools it while the catalog is down), notifies. Returns the exit
// status: 0 ok, 1 warnings, 75 locked, 130 interrupted; failures as errors.
[[nodiscard]] Result<ExitStatus> run_backup(config::Options& options, const RunRequest& request);

} // namespace om::run
