#pragma once

#include <string>

#include <om/borg/types.hpp>
#include <om/util/error.hpp>

namespace om::run {

struct BorgBackup;

// Writes <state-dir>/manifests/<job-id>.json beside a borg artifact: the job, the host, the
// log file and the archive as borg create --json describes it (borg info's fields but for
// the host and user, which the manifest names itself). Returns its path.
// The first target's is <job-id>.json, every further target's <job-id>.<target>.json.
[[nodiscard]] Result<std::string>
write_borg_manifest(const BorgBackup& backup, const borg::CreateResult& created, bool first);

} // namespace om::run
