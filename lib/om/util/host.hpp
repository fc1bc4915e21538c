#pragma once

#include <string>

namespace om::util {

// This machine's short host name (as `hostname` prints it).
[[nodiscard]] std::string host_name();
// The login name of whoever runs us: $SUDO_USER, then the passwd entry of the real uid.
[[nodiscard]] std::string login_name();

} // namespace om::util
