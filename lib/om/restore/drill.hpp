#pragma once

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/restore/restore_tool.hpp>
#include <om/util/error.hpp>

namespace om::restore {

// A restore drill: the job's files into a scratch folder and its dump into a scratch
// database (default job: the newest successful backup), both removed afterwards. Proves the
// backup restores, not only that it exists.
[[nodiscard]] Result<ExitStatus> verify_restore(const config::Options& o, RestoreRequest r,
                                                const config::Target& target,
                                                const borg::Client& client);

} // namespace om::restore
