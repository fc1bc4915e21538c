#pragma once

#include <string>

#include <om/util/error.hpp>

namespace om::mail {

// Hands `message` (a whole message, headers first) to the mail command (`command`, e.g.
// "sendmail -t", split like a shell would without one) on its standard input, waiting at most
// two minutes. Fails with the command's first line on stderr, or how it ended; the caller
// decides whether that fails its work (the digest) or is a warning (a job's notification).
[[nodiscard]] Result<void> send(const std::string& command, const std::string& message);

} // namespace om::mail
