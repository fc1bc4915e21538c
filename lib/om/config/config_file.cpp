#include <om/config/config_file.hpp>

#include <algorithm>

#include <om/util/strings.hpp>

namespace om::config {

std::span<const std::string_view> known_config_keys() {
  static constexpr std::string_view k_keys[] = {
      // every tool
      "config", "json", "verbose",
      // catalog
      "db-defaults-file", "db-host", "db-port", "db-socket", "db-user", "db-name",
      // borg
      "repo", "passphrase-file", "borg",
      // paths
      "log-dir", "backup-root", "prod-root", "uploads-dir", "state-dir",
      // dump
      "app-db", "app-db-defaults-file",
      // backup_settings
      "enabled", "schedule", "compression-level", "include-database", "include-files",
      "include-uploads", "email-notifications", "notification-email", "verify-after-backup",
      "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly",
      // om-backup-run
      "kind", "job-id", "requested-by", "archive-format", "encryption", "mysqldump", "sendmail",
      "on-success", "on-failure", "borg-timeout", "if-due", "dry-run",
      // om-backup-migrate
      "status", "to",
      // om-backup-sync
      "borg-list-json", "borg-info-json", "borg-tz", "log-tz",
      // om-backup-prune / report / restore
      "list", "since", "until", "limit", "format", "max-age", "max-runtime", "output",
      // om-backup-restore
      "from", "path", "database", "to-file", "force"};
  return k_keys;
}

Result<void> check_config_keys(const std::string& path, std::string_view text) {
  auto known = known_config_keys();
  int line_no = 0;
  for (auto raw : util::split(text, '\n')) {
    ++line_no;
    auto line = util::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '[')
      continue;
    auto key = util::trim(line.substr(0, line.find('=')));
    std::string normalized(key);
    std::ranges::replace(normalized, '_', '-');
    if (std::ranges::find(known, normalized) == known.end())
      return fail(ExitStatus::config, "config file " + path + " line " + std::to_string(line_no) +
                                          ": unknown key '" + std::string(key) + "'");
  }
  return {};
}

} // namespace om::config
