#include <om/config/config_file.hpp>

#include <algorithm>
#include <limits>
#include <map>

#include <om/util/strings.hpp>

namespace om::config {
namespace {

using Type = KeySpec::Type;
constexpr std::int64_t k_int_max = std::numeric_limits<int>::max();

constexpr KeySpec text(std::string_view name) {
  return {name, Type::text, 0, 0};
}
constexpr KeySpec flag(std::string_view name) {
  return {name, Type::flag, 0, 0};
}
constexpr KeySpec number(std::string_view name, std::int64_t min, std::int64_t max) {
  return {name, Type::number, min, max};
}

std::string normalized(std::string_view key) {
  std::string out(key);
  std::ranges::replace(out, '_', '-');
  return out;
}

Error at_line(const std::string& path, int line, const std::string& what) {
  return Error{ExitStatus::config,
               "config file " + path + " line " + std::to_string(line) + ": " + what};
}

} // namespace

std::span<const KeySpec> known_config_keys() {
  static constexpr KeySpec k_keys[] = {
      // every tool
      text("config"), flag("json"), flag("verbose"),
      // catalog
      text("db-defaults-file"), text("db-host"), number("db-port", 0, 65535), text("db-socket"),
      text("db-user"), text("db-name"),
      // borg
      text("repo"), text("passphrase-file"), text("borg"),
      // paths
      text("log-dir"), text("backup-root"), text("prod-root"), text("uploads-dir"),
      text("state-dir"),
      // dump
      text("app-db"), text("app-db-defaults-file"),
      // backup_settings
      flag("enabled"), text("schedule"), number("compression-level", 0, 22),
      flag("include-database"), flag("include-files"), flag("include-uploads"),
      flag("email-notifications"), text("notification-email"), flag("verify-after-backup"),
      number("keep-hourly", 0, k_int_max), number("keep-daily", 0, k_int_max),
      number("keep-weekly", 0, k_int_max), number("keep-monthly", 0, k_int_max),
      // om-backup-run
      text("kind"), text("job-id"), text("requested-by"), text("archive-format"),
      text("encryption"), text("mysqldump"), text("sendmail"), text("on-success"),
      text("on-failure"), number("borg-timeout", 1, k_int_max), flag("if-due"), flag("dry-run"),
      // om-backup-migrate
      flag("status"), text("to"), // a version for migrate, a folder for restore
      // om-backup-sync
      text("borg-list-json"), text("borg-info-json"), text("borg-tz"), text("log-tz"),
      // om-backup-prune / report / restore
      flag("list"), text("since"), text("until"), number("limit", 1, k_int_max), text("format"),
      text("max-age"), text("max-runtime"), text("output"),
      // om-backup-restore
      text("from"), text("path"), text("database"), text("to-file"), flag("force")};
  return k_keys;
}

std::optional<KeySpec> find_key(std::string_view key) {
  auto name = normalized(key);
  for (const auto& spec : known_config_keys()) {
    if (spec.name == name)
      return spec;
  }
  return std::nullopt;
}

std::optional<std::string> value_problem(const KeySpec& spec, std::string_view value) {
  switch (spec.type) {
  case Type::text:
    return std::nullopt;
  case Type::flag:
    if (util::parse_bool(value))
      return std::nullopt;
    return "must be yes or no (true/false, on/off, 1/0), not '" + std::string(value) + "'";
  case Type::number:
    if (auto n = util::parse_int(value); n && *n >= spec.min && *n <= spec.max)
      return std::nullopt;
    return "must be a whole number from " + std::to_string(spec.min) + " to " +
           std::to_string(spec.max) + ", not '" + std::string(value) + "'";
  }
  return std::nullopt;
}

Result<void> check_config_file(const std::string& path, std::string_view text) {
  std::map<std::string, int> seen; // key → line it was first given on
  int line_no = 0;
  for (auto raw : util::split(text, '\n')) {
    ++line_no;
    auto line = util::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';')
      continue;
    if (line.front() == '[')
      return std::unexpected(at_line(path, line_no,
                                     "sections like '" + std::string(line) +
                                         "' are not accepted; write key = value lines"));
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return std::unexpected(
          at_line(path, line_no, "'" + std::string(line) + "' is not 'key = value'"));
    auto key = util::trim(line.substr(0, eq));
    auto spec = find_key(key);
    if (!spec)
      return std::unexpected(at_line(path, line_no, "unknown key '" + std::string(key) + "'"));
    auto [first, inserted] = seen.emplace(std::string(spec->name), line_no);
    if (!inserted)
      return std::unexpected(at_line(path, line_no,
                                     "key '" + std::string(key) +
                                         "' is given again (first on line " +
                                         std::to_string(first->second) + ")"));
    if (auto problem = value_problem(*spec, util::unquote(util::trim(line.substr(eq + 1)))))
      return std::unexpected(at_line(path, line_no, std::string(key) + " " + *problem));
  }
  return {};
}

} // namespace om::config
