#include <om/config/config_file.hpp>

#include <algorithm>
#include <cctype>
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
      text("repo"), text("passphrase-file"), text("borg"), text("target"),
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
      flag("record-progress"), flag("record-changes"), number("anomaly-factor", 0, 1000),
      number("anomaly-min-files", 0, k_int_max),
      // om-backup-migrate
      flag("status"), text("to"), // a version for migrate, a folder for restore
      // om-backup-sync
      text("borg-list-json"), text("borg-info-json"), text("borg-tz"), text("log-tz"),
      // om-backup-prune / report / restore
      flag("list"), text("since"), text("until"), number("limit", 1, k_int_max), text("format"),
      text("max-age"), text("max-runtime"), text("output"), flag("check"), text("host"),
      flag("wait"), flag("all"), text("html"), flag("mail"), text("mail-to"), text("gnuplot"),
      // om-backup-restore
      text("from"), text("path"), text("database"), text("to-file"), flag("force"),
      // om-backup-copy
      text("copy-to"), text("rclone"), text("rclone-config"), number("copy-keep-days", 0, 36500),
      number("copy-max-delete", 0, 100), flag("no-check"), flag("copy"), text("max-copy-age"),
      text("max-verify-age"),
      // om-backup-check
      text("level"), text("check-schedule"), text("check-budget"), text("check-data-every"),
      text("check-bytes-per-run"), number("last", 1, k_int_max), number("ack", 1, k_int_max),
      text("why"),
      // monitoring pings (this file only)
      text("ping-url"), text("ping-style")};
  return k_keys;
}

std::span<const KeySpec> target_keys() {
  static constexpr KeySpec k_keys[] = {text("repo"),
                                       text("passphrase-file"),
                                       text("ssh-key"),
                                       text("known-hosts"),
                                       text("rsh"),
                                       text("remote-path"),
                                       number("upload-ratelimit", 0, k_int_max),
                                       number("lock-wait", 0, k_int_max),
                                       number("checkpoint-interval", 1, k_int_max),
                                       number("keep-hourly", 0, k_int_max),
                                       number("keep-daily", 0, k_int_max),
                                       number("keep-weekly", 0, k_int_max),
                                       number("keep-monthly", 0, k_int_max),
                                       flag("prune"),
                                       text("copy-to"),
                                       text("check-budget"),
                                       text("check-data-every"),
                                       text("check-bytes-per-run")};
  return k_keys;
}

namespace {

std::optional<KeySpec> find_in(std::span<const KeySpec> keys, std::string_view key) {
  auto name = normalized(key);
  for (const auto& spec : keys) {
    if (spec.name == name)
      return spec;
  }
  return std::nullopt;
}

bool is_target_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::isalnum(static_cast<unsigned char>(name[0])) != 0 &&
         std::ranges::all_of(name, [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
         });
}

void set_target_key(Target& t, std::string_view name, const std::string& value) {
  auto number = [&] { return static_cast<int>(*util::parse_int(value)); };
  if (name == "repo")
    t.repo = value;
  else if (name == "passphrase-file")
    t.passphrase_file = value;
  else if (name == "ssh-key")
    t.ssh_key = value;
  else if (name == "known-hosts")
    t.known_hosts = value;
  else if (name == "rsh")
    t.rsh = value;
  else if (name == "remote-path")
    t.remote_path = value;
  else if (name == "upload-ratelimit")
    t.upload_ratelimit_kib = number();
  else if (name == "lock-wait")
    t.lock_wait_s = number();
  else if (name == "checkpoint-interval")
    t.checkpoint_interval_s = number();
  else if (name == "keep-hourly")
    t.keep_hourly = number();
  else if (name == "keep-daily")
    t.keep_daily = number();
  else if (name == "keep-weekly")
    t.keep_weekly = number();
  else if (name == "keep-monthly")
    t.keep_monthly = number();
  else if (name == "prune")
    t.prune = *util::parse_bool(value);
  else if (name == "copy-to")
    t.copy_to.push_back(value);
  else if (name == "check-budget")
    t.check_budget = value;
  else if (name == "check-data-every")
    t.check_data_every = value;
  else if (name == "check-bytes-per-run")
    t.check_bytes_per_run = value;
}

// A value as CLI11 reads it too: after an unquoted value a '#' starts a comment; a quoted
// value is what is between the quotes (a '#' in it is refused by the caller: CLI11 would cut
// the value there, quotes or not).
std::string_view config_value(std::string_view text) {
  auto v = util::trim(text);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  if (auto hash = v.find('#'); hash != std::string_view::npos)
    v = util::trim(v.substr(0, hash));
  return util::unquote(v);
}

// The header `[target.NAME]` opens a target; any other section is an error.
Result<Target> open_section(const std::string& path, int line_no, std::string_view line,
                            const std::vector<Target>& targets) {
  auto inner =
      line.size() >= 2 && line.back() == ']' ? line.substr(1, line.size() - 2) : std::string_view{};
  if (!inner.starts_with("target."))
    return std::unexpected(
        at_line(path, line_no,
                "'" + std::string(line) +
                    "': the only sections are [target.NAME] (see docs/configuration.md)"));
  auto name = std::string(inner.substr(7));
  if (!is_target_name(name))
    return std::unexpected(
        at_line(path, line_no, "target name '" + name + "': letters, digits, '-' and '_' only"));
  if (name == k_local_target)
    return std::unexpected(
        at_line(path, line_no, "target 'local' is --repo itself; name this one otherwise"));
  for (const auto& t : targets) {
    if (t.name == name)
      return std::unexpected(
          at_line(path, line_no, "target '" + name + "' is defined again (" + t.defined_at + ")"));
  }
  Target t;
  t.name = name;
  t.defined_at = "config file " + path + " line " + std::to_string(line_no);
  return t;
}

// What is wrong with a key's value beyond its type, or nothing.
std::optional<std::string> line_problem(std::string_view key, const KeySpec& spec,
                                        std::string_view value) {
  if (value.find('#') != std::string_view::npos)
    return std::string(key) + ": a value cannot hold '#' (the option parser takes it for a "
                              "comment)";
  if (auto problem = value_problem(spec, value))
    return std::string(key) + " " + *problem;
  if (spec.name == "copy-to" && value.find(':') == std::string_view::npos)
    return "copy-to '" + std::string(value) + "' is not an rclone REMOTE:PATH";
  if (spec.name == "ping-style" && !ping::parse_style(value))
    return "ping-style '" + std::string(value) + "' is not healthchecks, uptime-kuma, ntfy or json";
  return std::nullopt;
}

// The ping-url lines (line, value), read once the file's ping-style is known.
Result<std::vector<ping::PingTarget>>
read_pings(const std::string& path, const std::vector<std::pair<int, std::string_view>>& urls,
           ping::PingStyle style) {
  std::vector<ping::PingTarget> out;
  for (const auto& [at, value] : urls) {
    auto target = ping::parse_ping_url(value, style);
    if (!target)
      return std::unexpected(at_line(path, at, target.error().message));
    out.push_back(std::move(*target));
  }
  return out;
}

Result<void> close_section(const std::optional<Target>& t) {
  if (t && t->repo.empty())
    return fail(ExitStatus::config, t->defined_at + ": target '" + t->name + "' has no repo");
  return {};
}

} // namespace

bool is_repeatable_key(std::string_view name) {
  return name == "copy-to" || name == "ping-url";
}

std::optional<KeySpec> find_key(std::string_view key) {
  return find_in(known_config_keys(), key);
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

Result<ConfigFile> read_config_file(const std::string& path, std::string_view text) {
  ConfigFile file;
  auto& targets = file.targets;
  std::optional<Target> section;   // the [target.NAME] being read
  std::map<std::string, int> seen; // key → line it was first given on (per section)
  std::vector<std::pair<int, std::string_view>> ping_urls; // read once ping-style is known
  auto ping_style = ping::PingStyle::healthchecks;
  int line_no = 0;
  for (auto raw : util::split(text, '\n')) {
    ++line_no;
    auto line = util::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';')
      continue;
    if (line.front() == '[') {
      OM_TRY_VOID(close_section(section));
      if (section)
        targets.push_back(std::move(*section));
      OM_TRY(opened, open_section(path, line_no, line, targets));
      section = std::move(opened);
      seen.clear();
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return std::unexpected(
          at_line(path, line_no, "'" + std::string(line) + "' is not 'key = value'"));
    auto key = util::trim(line.substr(0, eq));
    auto spec = section ? find_in(target_keys(), key) : find_key(key);
    if (!spec)
      return std::unexpected(at_line(path, line_no,
                                     "unknown key '" + std::string(key) + "'" +
                                         (section ? " in a target section" : "")));
    auto [first, inserted] = seen.emplace(std::string(spec->name), line_no);
    if (!inserted && !is_repeatable_key(spec->name))
      return std::unexpected(at_line(path, line_no,
                                     "key '" + std::string(key) +
                                         "' is given again (first on line " +
                                         std::to_string(first->second) + ")"));
    auto value = config_value(line.substr(eq + 1));
    if (auto problem = line_problem(key, *spec, value))
      return std::unexpected(at_line(path, line_no, *problem));
    file.lines.push_back({section ? "target." + section->name : std::string(),
                          std::string(spec->name), std::string(value), line_no});
    if (section)
      set_target_key(*section, spec->name, std::string(value));
    else if (spec->name == "copy-to")
      file.copy_to.emplace_back(value);
    else if (spec->name == "ping-url")
      ping_urls.emplace_back(line_no, value);
    else if (spec->name == "ping-style")
      ping_style = *ping::parse_style(value);
  }
  OM_TRY(pings, read_pings(path, ping_urls, ping_style));
  file.pings = std::move(pings);
  OM_TRY_VOID(close_section(section));
  if (section)
    targets.push_back(std::move(*section));
  return file;
}

std::string format_target_sections(const std::vector<Target>& targets) {
  std::string out;
  auto text = [&out](const char* key, const std::string& value) {
    if (!value.empty())
      out += std::string(key) + " = \"" + value + "\"\n";
  };
  auto number = [&out](const char* key, const std::optional<int>& value) {
    if (value)
      out += std::string(key) + " = " + std::to_string(*value) + "\n";
  };
  for (const auto& t : targets) {
    out += (out.empty() ? "[target." : "\n[target.") + t.name + "]\n";
    text("repo", t.repo);
    text("passphrase-file", t.passphrase_file);
    text("ssh-key", t.ssh_key);
    text("known-hosts", t.known_hosts);
    text("rsh", t.rsh);
    text("remote-path", t.remote_path);
    number("upload-ratelimit", t.upload_ratelimit_kib);
    number("lock-wait", t.lock_wait_s);
    number("checkpoint-interval", t.checkpoint_interval_s);
    number("keep-hourly", t.keep_hourly);
    number("keep-daily", t.keep_daily);
    number("keep-weekly", t.keep_weekly);
    number("keep-monthly", t.keep_monthly);
    out += std::string("prune = ") + (t.prune ? "yes" : "no") + "\n";
    for (const auto& destination : t.copy_to)
      text("copy-to", destination);
  }
  return out;
}

} // namespace om::config
