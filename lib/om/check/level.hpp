#pragma once

#include <optional>
#include <string_view>

namespace om::check {

// What a verification reads (backup_checks.level). repository: the segments and the index,
// resumed across runs within the time budget; archives: every archive's metadata; data: the
// data itself (the local repository's --verify-data, an offsite target's extract --dry-run
// rotation); copy: a cloud copy's objects.
enum class Level { repository, archives, data, copy };

[[nodiscard]] std::string_view name_of(Level level);
[[nodiscard]] std::optional<Level> parse_level(std::string_view name);

// How a verification ended (backup_checks.status): corrupt is damage found (never repaired),
// failed a check that could not be done (unreachable, locked, borg refused).
enum class Outcome { success, corrupt, failed, cancelled };

[[nodiscard]] std::string_view name_of(Outcome outcome);

} // namespace om::check
