#pragma once

#include <chrono>
#include <string>

#include <om/borg/client.hpp>
#include <om/config/target.hpp>

namespace om::borg {

// How long ssh may take to reach a target's host before the target fails.
inline constexpr int k_ssh_connect_timeout_s = 10;

// The client for one target: its passphrase (the environment's only for `local`), and for
// an ssh:// repository an ssh that never prompts and never hangs (BatchMode, ConnectTimeout,
// keep-alives), with the target's key and known-hosts file.
[[nodiscard]] Result<Client> client_for(const config::Target& target, const std::string& program,
                                        std::chrono::seconds timeout);

// BORG_RSH for a target (empty when borg's default will do); `ssh_log`: where ssh writes its
// own messages (-E), when not empty.
[[nodiscard]] std::string ssh_command(const config::Target& target,
                                      const std::string& ssh_log = "");

} // namespace om::borg
