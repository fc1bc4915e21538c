#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <om/config/config_file.hpp>
#include <om/config/options.hpp>
#include <om/config/settings.hpp>
#include <om/util/error.hpp>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace om::config {

enum class ParseOutcome { run, exit_ok }; // exit_ok: --help or --version was printed

// A tool's command line: CLI11 plus om-backup's layering. Precedence (docs/configuration.md):
// command line > environment > config file > backup_settings row > built-in default.
class Cli {
public:
  Cli(std::string tool, std::string description, Options& options);
  ~Cli();
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  [[nodiscard]] CLI::App& app();
  [[nodiscard]] const std::string& tool() const { return m_tool; }
  [[nodiscard]] const Options& options() const { return m_options; }
  [[nodiscard]] Options& options() { return m_options; }
  // Whether an option of this command line is named `--key`.
  [[nodiscard]] bool knows(const std::string& key) const;

  // Option groups; a tool adds those it uses.
  void add_catalog_options();
  void add_borg_options();
  void add_path_options();
  void add_dump_options();
  void add_output_options();
  void add_backup_settings_options();
  void add_notification_options(); // email_notifications, notification_email (in the above)
  void add_retention_options();
  void add_copy_options(); // rclone and the destinations of cloud copies
  // What every tool that drives borg over the catalog has: the catalog, borg (its version
  // checked at start), paths and output.
  void add_borg_tool_options();

  // The config file's ping-url services are told of this tool's start as soon as it runs
  // (om-backup-sync, -prune, -copy). Other tools tell them when their work begins
  // (ping::work_begins: om-backup-run once its backup is due, a restore drill), or never.
  void ping_at_start() { m_ping_at_start = true; }
  [[nodiscard]] bool pings_at_start() const { return m_ping_at_start; }

  // This tool drives borg (--borg): its version is checked before the tool's work begins, so
  // an unsupported borg is refused (exit 78) before any row is written or repository touched.
  void drives_borg() { m_drives_borg = true; }
  [[nodiscard]] bool borg_checked_at_start() const { return m_drives_borg; }

  // Parses argv, the environment and the config file. Usage errors are exit 64, config file
  // errors 78. --help/--version print and give ParseOutcome::exit_ok.
  [[nodiscard]] Result<ParseOutcome> parse(int argc, char** argv);

  // Fills every settings-backed option that nothing else set from the backup_settings row.
  [[nodiscard]] Result<void> apply_settings(const SettingsRow& row);

  // Where each setting this command line knows came from, and its value: `command-line`,
  // `environment`, `file:PATH:LINE`, `backup_settings` or `default`; then the config file's
  // lines no option of this tool reads (targets, ping-url: secrets as "(set)"). For
  // `om-backup-report config`: call view_mode() before parse.
  struct Setting {
    std::string key;
    std::string value;
    std::string origin;
  };
  [[nodiscard]] std::vector<Setting> effective_settings() const;
  // Unknown arguments are ignored, no subcommand is required, options that exclude each other
  // may both be given, and defaults are remembered, for effective_settings().
  void view_mode();

  // Registers an option that also reads environment variable `env` (may be empty).
  CLI::Option* add_option(const std::string& flags, std::string& target, const std::string& help,
                          const std::string& env = "");

private:
  template <class T>
  void add_setting(const std::string& flags, T& target, const std::string& column,
                   const std::string& help);

  struct SettingBinding {
    CLI::Option* option;
    std::string column;
    std::function<bool(const std::string&)> assign; // false: the stored value is invalid
  };

  std::string m_tool;
  Options& m_options;
  std::unique_ptr<CLI::App> m_app;
  std::vector<std::pair<std::string, std::string>> m_env; // long flag, environment variable
  std::vector<SettingBinding> m_settings;
  bool m_ping_at_start = false;
  bool m_drives_borg = false;
  // What parse saw, for effective_settings().
  std::vector<std::string> m_given;              // argv as given
  std::map<std::string, std::string> m_injected; // --flag → the environment variable
  std::string m_config_option;                   // --config as CLI11 parsed it
  std::string m_config_path;                     // the file read, if one was
  std::vector<ConfigFile::Line> m_file_lines;
  std::map<std::string, std::string> m_applied; // backup_settings column → value taken
};

} // namespace om::config
