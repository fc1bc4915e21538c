#pragma once

#include <string>
#include <string_view>

// The names of the catalog's named locks (MySQL GET_LOCK), which keep every host sharing one
// catalog apart. Defined here only, so two tools can never disagree on a name.
namespace om::lock {

// One backup or prune of a borg repository at a time.
[[nodiscard]] inline std::string repository_lock(std::string_view repo) {
  return "om-backup:" + std::string(repo);
}
// One legacy backup into a backup root at a time.
[[nodiscard]] inline std::string legacy_root_lock(std::string_view backup_root) {
  return "om-backup:legacy:" + std::string(backup_root);
}
// One om-backup-sync at a time.
inline constexpr std::string_view k_sync_lock = "om-backup:sync";
// One om-backup-migrate at a time.
inline constexpr std::string_view k_migrate_lock = "om-backup:migrate";

} // namespace om::lock
