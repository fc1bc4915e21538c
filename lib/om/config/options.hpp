#pragma once

#include <functional>
#include <string>

#include <om/config/settings.hpp>
#include <om/config/target.hpp>
#include <om/db/catalog.hpp>
#include <om/ping/ping_target.hpp>

namespace om::config {

// Everything a tool can be told, from the command line, the environment, the config file or
// the backup_settings row (in that order of precedence, docs/configuration.md). Each tool
// registers the groups it uses with Cli.
struct Options {
  std::string config_file;
  // Fills every settings-backed option that nothing else set from the backup_settings row;
  // set by the Cli that parsed the command line (Cli::apply_settings). Empty: nothing to fill.
  std::function<Result<void>(const SettingsRow&)> apply_settings;
  db::ConnectionOptions catalog;

  // borg
  std::string repo;
  std::string passphrase_file;
  std::string borg_command = "borg";
  std::vector<Target> targets;           // the config file's [target.NAME] sections
  std::vector<std::string> only_targets; // --target: limit the run to these

  // cloud copies (om-backup-copy)
  std::vector<std::string> copy_to; // the local target's rclone destinations (REMOTE:PATH)
  std::string rclone_command = "rclone";
  std::string rclone_config; // rclone's own config file: the remotes and their credentials
  int copy_keep_days = 30;   // how long replaced and deleted files stay in the backup dir
  int copy_max_delete = 20;  // percent of the destination's segment bytes a copy may delete

  // monitoring pings (ping-url in the config file): the start and end of each job are told
  std::vector<ping::PingTarget> pings;

  // paths
  std::string log_dir = "/var/backups/OM/logs";
  std::string backup_root = "/var/backups/orthodoxmetrics";
  std::string prod_root = "/var/www/orthodoxmetrics/prod";
  std::string uploads_dir; // default <prod-root>/uploads
  std::string state_dir = "/var/backups/OM";

  // what is dumped
  std::string app_db; // default: the catalog's database
  std::string app_db_defaults_file;

  // output
  bool json = false;
  int verbose = 0;
  bool dry_run = false;

  // backed by backup_settings when not given elsewhere
  bool enabled = true;
  std::string schedule = "0 2 * * *";
  int keep_hourly = 48;
  int keep_daily = 30;
  int keep_weekly = 12;
  int keep_monthly = 6;
  int compression_level = 3;
  bool include_database = true;
  bool include_files = true;
  bool include_uploads = true;
  bool email_notifications = false;
  std::string notification_email;
  bool verify_after_backup = true;

  [[nodiscard]] std::string effective_uploads_dir() const {
    return uploads_dir.empty() ? prod_root + "/uploads" : uploads_dir;
  }
  [[nodiscard]] std::string effective_app_db() const {
    return app_db.empty() ? catalog.database : app_db;
  }
  // Where the application database is, for dumps and restores: --app-db-defaults-file when
  // given, else the catalog's own connection.
  [[nodiscard]] db::ConnectionOptions app_db_connection() const {
    if (app_db_defaults_file.empty())
      return catalog;
    db::ConnectionOptions o;
    o.defaults_file = app_db_defaults_file;
    return o;
  }
};

} // namespace om::config
