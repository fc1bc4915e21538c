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

} // namespace

Cli::Cli(std::string tool, std::string description, Options& options)
    : m_tool(std::move(tool)), m_options(options),
      m_app(std::make_unique<CLI::App>(std::move(description), m_tool)) {
  m_app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  m_app->set_version_flag("--version", m_tool + " " + std::string(k_version));
  m_app
      ->set_config("--config", k_default_config,
                   "Config file (INI/TOML; every long option can be set there)")
      ->envname("");
  // One config file serves every tool: keys of other tools are ignored here, and keys no
  // tool knows are rejected by read_config_file before CLI11 reads the file.
  m_app->allow_config_extras(CLI::config_extras_mode::ignore);
  // A value is one value, as read_config_file reads it: CLI11's own format splits a value at
  // spaces and commas into a list, of which an option takes the last item ("0 2 * * *" became
  // the schedule "*", "om {hostname}" the archive format "{hostname}").
  auto format = std::make_shared<CLI::ConfigTOML>();
  format->arrayDelimiter('\x1f');
  m_app->config_formatter(format);
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
  // The environment is injected as leading arguments: the real ones that follow win, and
  // unlike CLI11's own envname it beats the config file, as README ("Configuration") promises.
  std::vector<std::string> args;
  for (const auto& [flag, env] : m_env) {
    const char* value = std::getenv(env.c_str());
    if (value != nullptr && *value != '\0' && !argv_has(given, flag)) {
      args.push_back(flag + "=" + value);
      m_injected[flag] = env;
    }
  }
  m_given = given;
  args.insert(args.end(), given.begin(), given.end());

  // CLI11 skips a default config file it cannot read; a file that exists but cannot be read
  // is a mistake worth stopping for.
  std::string config_path = k_default_config;
  for (const auto& a : args) {
    if (a.starts_with("--config="))
      config_path = a.substr(9);
  }
  if (auto it = std::ranges::find(args, "--config"); it != args.end() && it + 1 != args.end())
    config_path = *(it + 1);
  if (util::path_exists(config_path)) {
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
  }
  add_range_checks(*m_app);

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
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
  } catch (const CLI::FileError& e) {
    return fail(ExitStatus::config, "reading config file: " + std::string(e.what()));
  } catch (const CLI::ConfigError& e) {
    return fail(ExitStatus::config, "config file " + config_path + ": " + e.what());
  } catch (const CLI::ParseError& e) {
    return fail(ExitStatus::usage, std::string(e.what()) + " (see --help)");
  }
  m_options.config_file = m_app->get_option("--config")->as<std::string>();
  return ParseOutcome::run;
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

void Cli::view_mode() {
  m_app->allow_extras(true);
  for (auto* opt : m_app->get_options())
    opt->capture_default_str();
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
    else if (opt->count() > 0)
      s.value = util::join(opt->results(), ",");
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
