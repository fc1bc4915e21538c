#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <om/borg/client.hpp>
#include <om/borg/types.hpp>
#include <om/config/target.hpp>

namespace om::borg {

// How long ssh may take to reach a target's host before the target fails.
inline constexpr int k_ssh_connect_timeout_s = 10;

// The client for one target: its passphrase (the environment's only for `local`), and for
// an ssh:// repository an ssh that never prompts and never hangs (BatchMode, ConnectTimeout,
// keep-alives), with the target's key and known-hosts file.
[[nodiscard]] Result<Client> client_for(const config::Target& target, const std::string& program,
                                        std::chrono::seconds timeout);

// A repository fetched from a cloud copy (om-backup-restore fetch) keeps borg's security and
// cache folders of its own in REPO/.om-backup: it has the original's repository id, and
// borg's relocation and manifest-age checks must never compare it with the original's.
inline constexpr const char* k_fetched_state_dir = ".om-backup";
[[nodiscard]] bool is_fetched_copy(const std::string& repo);

// BORG_RSH for a target (empty when borg's default will do); `ssh_log`: where ssh writes its
// own messages (-E), when not empty.
[[nodiscard]] std::string ssh_command(const config::Target& target,
                                      const std::string& ssh_log = "");

// A repository's archives (`borg list --json`) through a client made already.
[[nodiscard]] Result<Listing> list_with(const Client& client, const std::string& repo);
// A target's archives (`borg list --json`), through its client, its passphrase required.
[[nodiscard]] Result<Listing> list_target(const config::Target& target, const std::string& program,
                                          std::chrono::seconds timeout);

// Runs `work` on each target in turn. A target whose work fails is a warning naming it (its
// message followed by `later`) and the others go on; the names of those that failed are the
// result. With one target its error is the result, and when every target fails, the first's.
[[nodiscard]] Result<std::vector<std::string>>
for_each_target(const std::vector<config::Target>& targets,
                const std::function<Result<void>(const config::Target&)>& work,
                std::string_view later = "");

} // namespace om::borg
