#pragma once

#include <string>

namespace om::attempt {

// Who asked for a job or a restore, as the history records it: `given` (--requested-by) when
// said; else "cron" when the run is scheduled (--if-due) or has no terminal on stdin (cron, a
// systemd timer, a pipeline); else the login name of whoever typed the command.
[[nodiscard]] std::string requester(const std::string& given, bool scheduled = false);

} // namespace om::attempt
