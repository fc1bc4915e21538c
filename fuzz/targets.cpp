#include "check.hpp"

namespace om::fuzz {

std::span<const Target> targets() {
  static constexpr Target k_targets[] = {
      {"borg_json_walker", borg_json_walker}, {"borg_documents", borg_documents},
      {"backup_log", backup_log},             {"cron_expression", cron_expression},
      {"config_file", config_file},           {"defaults_file", defaults_file},
      {"when_value", when_value},             {"tar_member", tar_member},
      {"rclone_output", rclone_output},       {"change_listings", change_listings},
  };
  return k_targets;
}

} // namespace om::fuzz
