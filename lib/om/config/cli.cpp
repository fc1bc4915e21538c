#include <om/config/cli.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include <om/config/config_file.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/version.hpp>

namespace om::config {
namespace {

constexpr const char* k_default_config = "/etc/om-backup/om-backup.conf";

bool argv_has(const std::vector<std::string>& args, const std::string& flag) {
  for (const auto& a : args) {
    if (a == "--")
      return false;
    if (a == flag || a.starts_with(flag + "="))
      return true;
  }
  return false;
}

template <class T> bool assign_from_text(T& target, const std::string& text) {
  if constexpr (std::is_same_v<T, bool>) {
    auto v = util::parse_bool(text);
    if (v)
      target = *v;
    return v.has_value();
  } else if constexpr (std::is_same_v<T, int>) {
    auto v = util::parse_int(text);
    if (v)
      target = static_cast<int>(*v);
    return v.has_value();
  } else {
    target = text;
    return true;
  }
}

// Numbers on the command line (and in the environment) get the ranges the config file has:
// `--keep-daily -1` is a usage error, never a policy that keeps nothing.
void add_range_checks(CLI::App& app) {
  for (auto* opt : app.get_options()) {
    for (const auto& name : opt->get_lnames()) {
      auto spec = find_key(name);
      if (spec && spec->type == KeySpec::Type::number)
        opt->check(CLI::Range(spec->min, spec->max));
    }
  }
  for (auto* sub : app.get_subcommands({}))
    add_range_checks(*sub);
}

// The config file's top-level lines as arguments of the options this tool has
// (`--key=value`, a flag `--key` when yes), in file order. Other tools' keys are left out, as
// are the lines read_config_file puts into Options itself (copy-to, ping-url).
std::vector<std::string> file_arguments(CLI::App& app, const std::vector<ConfigFile::Line>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    if (!line.section.empty() || line.key == "config" || is_repeatable_key(line.key))
      continue;
    const auto* opt = app.get_option_no_throw("--" + line.key);
    if (opt == nullptr)
      continue;
    if (opt->get_expected_max() == 0) { // a flag: every one is off unless given
      if (util::parse_bool(line.value).value_or(false))
        out.push_back("--" + line.key);
      continue;
    }
    out.push_back("--" + line.key + "=" + line.value);
  }
  return out;
}

} // namespace

Cli::Cli(std::string tool, std::string description, Options& options)
    : m_tool(std::move(tool)), m_options(options),
      m_app(std::make_unique<CLI::App>(std::move(description), m_tool)) {
  m_app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  m_app->set_version_flag("--version", m_tool + " " + std::string(k_version));
  // The config file is read by read_config_file alone, never by CLI11: one reader, one set
  // of rules, whatever CLI11 version is installed. Its top-level lines reach CLI11 as
  // arguments placed before the environment's (file_arguments).
  m_app
      ->add_option("--config", m_config_option,
                   "Config file (INI/TOML; every long option can be set there)")
      ->default_str(k_default_config);
  m_env.emplace_back("--config", "OM_BACKUP_CONFIG");
  m_options.apply_settings = [this](const SettingsRow& row) { return apply_settings(row); };
}

Cli::~Cli() = default;

CLI::App& Cli::app() {
  return *m_app;
}

CLI::Option* Cli::add_option(const std::string& flags, std::string& target, const std::string& help,
                             const std::string& env) {
  auto* opt = m_app->add_option(flags, target, help);
  if (!env.empty()) {
    m_env.emplace_back(opt->get_name(), env);
    opt->description(help + " [env: " + env + "]");
  }
  return opt;
}

void Cli::add_catalog_options() {
  auto& c = m_options.catalog;
  const std::string group = "Catalog database";
  add_option("--db-defaults-file", c.defaults_file,
             "my.cnf-style file with the catalog's connection and password "
             "(groups [client], [om-backup])",
             "OM_DB_DEFAULTS_FILE")
      ->group(group);
  add_option("--db-host", c.host, "Catalog server host", "OM_DB_HOST")->group(group);
  m_app->add_option("--db-port", c.port, "Catalog server port")->group(group);
  m_env.emplace_back("--db-port", "OM_DB_PORT");
  add_option("--db-socket", c.socket, "Catalog server socket", "OM_DB_SOCKET")->group(group);
  add_option("--db-user", c.user, "Catalog user", "OM_DB_USER")->group(group);
  add_option("--db-name", c.database, "Catalog database (the application's)", "OM_DB_NAME")
      ->group(group);
}

void Cli::add_borg_options() {
  const std::string group = "Borg";
  add_option("--repo", m_options.repo, "Borg repository (else backup_settings.borg_repo_path)",
             "BORG_REPO")
      ->group(group);
  m_settings.push_back(
      {m_app->get_option("--repo"), "borg_repo_path",
       [this](const std::string& v) { return assign_from_text(m_options.repo, v); }});
  add_option("--passphrase-file", m_options.passphrase_file,
             "File holding the repository passphrase (mode 0600 or stricter)",
             "OM_BORG_PASSPHRASE_FILE")
      ->group(group);
  add_option("--borg", m_options.borg_command, "The borg program to run", "OM_BORG")->group(group);
  m_app
      ->add_option("--target", m_options.only_targets,
                   "Only this target: local (--repo) or a [target.NAME] of the config file; "
                   "repeatable (default: every target)")
      ->group(group);
}

void Cli::add_path_options() {
  const std::string group = "Paths";
  add_option("--log-dir", m_options.log_dir, "Folder of backup-*.log files", "OM_LOG_DIR")
      ->group(group);
  add_option("--backup-root", m_options.backup_root, "Folder of legacy backup files",
             "OM_BACKUP_ROOT")
      ->group(group);
  add_option("--prod-root", m_options.prod_root, "The application tree that is backed up",
             "OM_PROD_ROOT")
      ->group(group);
  add_option("--uploads-dir", m_options.uploads_dir, "Uploads folder (default <prod-root>/uploads)",
             "OM_UPLOADS_DIR")
      ->group(group);
  add_option("--state-dir", m_options.state_dir, "Folder for the lock and the spool",
             "OM_STATE_DIR")
      ->group(group);
}

void Cli::add_dump_options() {
  const std::string group = "Database dump";
  add_option("--app-db", m_options.app_db, "Application database to dump (default: --db-name)",
             "OM_APP_DB")
      ->group(group);
  add_option("--app-db-defaults-file", m_options.app_db_defaults_file,
             "my.cnf-style file with credentials for the dump (default: the catalog's)",
             "OM_APP_DB_DEFAULTS_FILE")
      ->group(group);
}

void Cli::add_copy_options() {
  const std::string group = "Cloud copies";
  // Repeatable; the config file's `copy-to` lines are read by read_config_file (CLI11 would
  // keep one of them), and a --copy-to on the command line replaces them.
  m_app
      ->add_option("--copy-to", m_options.copy_to,
                   "rclone destination REMOTE:PATH of the local target's repository; repeatable "
                   "(default: the config file's copy-to lines)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->configurable(false)
      ->group(group);
  add_option("--rclone", m_options.rclone_command, "The rclone program to run", "OM_RCLONE")
      ->group(group);
  add_option("--rclone-config", m_options.rclone_config,
             "rclone's config file: the remotes and their credentials", "OM_RCLONE_CONFIG")
      ->group(group);
  m_app
      ->add_option("--copy-keep-days", m_options.copy_keep_days,
                   "Days the files a copy replaced or deleted are kept on the remote")
      ->group(group);
  m_app
      ->add_option("--copy-max-delete", m_options.copy_max_delete,
                   "Percent of the bytes of the destination's data segments a copy may delete "
                   "or replace (else it stops, exit 2, unless --force)")
      ->group(group);
}

void Cli::add_output_options() {
  m_app->add_flag("--json", m_options.json, "Print one JSON document on stdout");
  m_app->add_flag("-v,--verbose", m_options.verbose, "More detail on stderr (repeat for debug)");
}

template <class T>
void Cli::add_setting(const std::string& flags, T& target, const std::string& column,
                      const std::string& help) {
  auto* opt = m_app->add_option(flags, target, help + " [setting: " + column + "]");
  opt->group("Backup settings (default: the backup_settings row)");
  m_settings.push_back(
      {opt, column, [&target](const std::string& v) { return assign_from_text(target, v); }});
}

void Cli::add_retention_options() {
  add_setting("--keep-hourly", m_options.keep_hourly, "keep_hourly", "Hourly backups to keep");
  add_setting("--keep-daily", m_options.keep_daily, "keep_daily", "Daily backups to keep");
  add_setting("--keep-weekly", m_options.keep_weekly, "keep_weekly", "Weekly backups to keep");
  add_setting("--keep-monthly", m_options.keep_monthly, "keep_monthly", "Monthly backups to keep");
}

void Cli::add_notification_options() {
  add_setting("--email-notifications", m_options.email_notifications, "email_notifications",
              "Mail the result");
  add_setting("--notification-email", m_options.notification_email, "notification_email",
              "Where results are mailed");
}

void Cli::add_backup_settings_options() {
  add_setting("--enabled", m_options.enabled, "enabled", "Scheduled backups enabled");
  add_setting("--schedule", m_options.schedule, "schedule", "Cron expression of the schedule");
  add_setting("--compression-level", m_options.compression_level, "compression_level",
              "zstd level 1-22; 0 means lz4");
  add_setting("--include-database", m_options.include_database, "include_database",
              "Include the database dump");
  add_setting("--include-files", m_options.include_files, "include_files",
              "Include the application tree");
  add_setting("--include-uploads", m_options.include_uploads, "include_uploads",
              "Include the uploads folder");
  add_notification_options();
  add_setting("--verify-after-backup", m_options.verify_after_backup, "verify_after_backup",
              "Check the archive (and the dump inside it) after the backup");
}

Result<ParseOutcome> Cli::parse(int argc, char** argv) {
  std::vector<std::string> given(argv + 1, argv + argc);
  // The environment is injected as leading arguments, after the config file's: the real ones
  // that follow win (TakeLast), then the environment, then the file, as
  // docs/configuration.md promises.
  std::vector<std::string> env_args;
  for (const auto& [flag, env] : m_env) {
    const char* value = std::getenv(env.c_str());
    if (value != nullptr && *value != '\0' && !argv_has(given, flag)) {
      env_args.push_back(flag + "=" + value);
      m_injected[flag] = env;
    }
  }
  m_given = given;

  // The default file may be missing; one that is named (or exists but cannot be read) must
  // be readable.
  std::string config_path = k_default_config;
  bool named = false;
  auto name_config = [&](const std::vector<std::string>& args) {
    for (auto it = args.begin(); it != args.end() && *it != "--"; ++it) {
      if (it->starts_with("--config=")) {
        config_path = it->substr(9);
        named = true;
      } else if (*it == "--config" && it + 1 != args.end()) {
        config_path = *(it + 1);
        named = true;
      }
    }
  };
  name_config(env_args);
  name_config(given);
  std::vector<std::string> file_args;
  if (named || util::path_exists(config_path)) {
    if (!util::path_exists(config_path))
      return fail(ExitStatus::config, "reading config file " + config_path + ": no such file");
    if (!std::ifstream(config_path).good())
      return fail(ExitStatus::config, "reading config file " + config_path + ": permission denied");
    auto text = util::read_file(config_path);
    if (!text)
      return fail(ExitStatus::config,
                  "reading config file " + config_path + ": " + text.error().message);
    OM_TRY(file, read_config_file(config_path, *text));
    m_options.targets = std::move(file.targets);
    m_options.copy_to = std::move(file.copy_to);
    m_options.pings = std::move(file.pings);
    m_config_path = config_path;
    m_file_lines = std::move(file.lines);
    file_args = file_arguments(*m_app, m_file_lines);
  }
  add_range_checks(*m_app);

  // `layers`: the file's and the environment's arguments, before the command line's own.
  auto parse_args = [this](const std::vector<std::string>& layers,
                           const std::vector<std::string>& command_line) -> Result<ParseOutcome> {
    // CLI11 pops from the back.
    std::vector<std::string> reversed(command_line.rbegin(), command_line.rend());
    reversed.insert(reversed.end(), layers.rbegin(), layers.rend());
    try {
      m_app->parse(reversed);
    } catch (const CLI::CallForHelp&) {
      std::cout << m_app->help();
      return ParseOutcome::exit_ok;
    } catch (const CLI::CallForAllHelp&) {
      std::cout << m_app->help("", CLI::AppFormatMode::All);
      return ParseOutcome::exit_ok;
    } catch (const CLI::CallForVersion&) {
      std::cout << m_app->version() << "\n";
      return ParseOutcome::exit_ok;
    } catch (const CLI::ParseError& e) {
      return fail(ExitStatus::usage, std::string(e.what()) + " (see --help)");
    }
    return ParseOutcome::run;
  };
  std::vector<std::string> layers = file_args;
  layers.insert(layers.end(), env_args.begin(), env_args.end());
  auto parsed = parse_args(layers, given);
  if (!parsed && !file_args.empty()) {
    // Whose fault: when the same command line parses without the file's values, the file's.
    m_app->clear();
    if (parse_args(env_args, given)) {
      auto what = parsed.error().message;
      what.resize(what.size() - std::string_view(" (see --help)").size());
      return fail(ExitStatus::config, "config file " + config_path + ": " + what);
    }
  }
  if (!parsed)
    return parsed;
  m_options.config_file = config_path;
  return *parsed;
}

Result<void> Cli::apply_settings(const SettingsRow& row) {
  for (const auto& binding : m_settings) {
    if (binding.option->count() > 0)
      continue;
    auto it = row.find(binding.column);
    if (it == row.end() || !it->second)
      continue;
    auto spec = find_key(binding.column);
    auto problem = spec ? value_problem(*spec, *it->second) : std::nullopt;
    if (problem || !binding.assign(*it->second))
      return fail(ExitStatus::config,
                  "backup_settings." + binding.column + " " +
                      problem.value_or("has an invalid value '" + *it->second + "'"));
    m_applied[binding.column] = *it->second;
  }
  return {};
}

void Cli::add_borg_tool_options() {
  add_catalog_options();
  add_borg_options();
  drives_borg();
  add_path_options();
  add_output_options();
}

bool Cli::knows(const std::string& key) const {
  return std::ranges::any_of(m_app->get_options(), [&key](const CLI::Option* opt) {
    const auto& names = opt->get_lnames();
    return !names.empty() && names.front() == key;
  });
}

void Cli::view_mode() {
  m_app->allow_extras(true);
  m_app->require_subcommand(0, 1);
  for (auto* opt : m_app->get_options()) {
    opt->capture_default_str();
    // A listing shows what each option says, even two that exclude each other.
    for (auto* other : opt->get_excludes())
      opt->remove_excludes(other);
  }
}

std::vector<Cli::Setting> Cli::effective_settings() const {
  std::vector<Setting> out;
  auto file_line = [this](const std::string& key) -> const ConfigFile::Line* {
    for (const auto& l : m_file_lines) {
      if (l.section.empty() && l.key == key)
        return &l;
    }
    return nullptr;
  };
  auto at = [this](int line) { return "file:" + m_config_path + ":" + std::to_string(line); };
  std::vector<std::string> shown;
  for (const auto* opt : m_app->get_options()) {
    const auto& names = opt->get_lnames();
    if (names.empty() || names.front() == "help" || names.front() == "version" ||
        names.front() == "config")
      continue;
    const auto& key = names.front();
    const std::string flag = "--" + key;
    shown.push_back(key);
    Setting s{key, "", "default"};
    const auto binding = std::ranges::find(m_settings, opt, &SettingBinding::option);
    const auto* line = file_line(key);
    if (argv_has(m_given, flag))
      s.origin = "command-line";
    else if (m_injected.contains(flag))
      s.origin = "environment";
    else if (line != nullptr)
      s.origin = at(line->line);
    else if (binding != m_settings.end() && m_applied.contains(binding->column))
      s.origin = "backup_settings";
    if (s.origin == "backup_settings")
      s.value = m_applied.at(binding->column);
    else if (opt->count() > 0 && opt->get_items_expected_max() > 1)
      s.value = util::join(opt->results(), ","); // a list (copy-to)
    else if (opt->count() > 0)
      s.value = opt->results().back(); // the last one given is the one that counts
    else if (key == "copy-to" && line != nullptr)
      s.value = util::join(m_options.copy_to, ",");
    else
      s.value = opt->get_default_str() == "[]" ? "" : opt->get_default_str(); // an empty list
    s.value = util::redact_url_passwords(s.value); // an rclone or ssh URL may carry one
    out.push_back(std::move(s));
  }
  // What only the file says: targets, pings, other tools' keys.
  for (const auto& l : m_file_lines) {
    if (l.section.empty() && std::ranges::find(shown, l.key) != shown.end())
      continue;
    const bool secret = l.key == "ping-url";
    out.push_back({l.section.empty() ? l.key : l.section + "." + l.key,
                   secret ? "(set)" : util::redact_url_passwords(l.value), at(l.line)});
  }
  return out;
}

} // namespace om::config
