// Config files: one that is accepted prints back (its [target.NAME] sections) to text that
// reads as the same targets; any other input is refused with a line number, never a crash.
#include <om/config/config_file.hpp>
#include <om/config/target.hpp>

#include "check.hpp"

namespace om::fuzz {
namespace {

bool same(const config::Target& a, const config::Target& b) {
  return a.name == b.name && a.repo == b.repo && a.passphrase_file == b.passphrase_file &&
         a.ssh_key == b.ssh_key && a.known_hosts == b.known_hosts && a.rsh == b.rsh &&
         a.remote_path == b.remote_path && a.upload_ratelimit_kib == b.upload_ratelimit_kib &&
         a.lock_wait_s == b.lock_wait_s && a.checkpoint_interval_s == b.checkpoint_interval_s &&
         a.keep_hourly == b.keep_hourly && a.keep_daily == b.keep_daily &&
         a.keep_weekly == b.keep_weekly && a.keep_monthly == b.keep_monthly &&
         a.prune == b.prune && a.copy_to == b.copy_to;
}

} // namespace

void config_file(std::string_view input) {
  auto file = config::read_config_file("fuzz.conf", input);
  if (!file) {
    check(file.error().message.starts_with("fuzz.conf") ||
              file.error().message.starts_with("config file fuzz.conf"),
          "a refusal that does not name the file: " + file.error().message);
    return;
  }
  const auto& targets = file->targets;
  auto printed = config::format_target_sections(targets);
  auto again = config::read_config_file("printed.conf", printed);
  check(again.has_value(), "printed targets do not read back: " +
                               (again ? std::string() : again.error().message) + "\n" + printed);
  check(again->targets.size() == targets.size(), "printed targets read back as a different number");
  for (std::size_t i = 0; i < targets.size(); ++i)
    check(same(again->targets[i], targets[i]), "target " + targets[i].name + " reads back changed");
}

} // namespace om::fuzz
