#include "support/catch.hpp"

#include <cstdlib>

#include <CLI/CLI.hpp>

#include <om/config/cli.hpp>

#include "support/temp_dir.hpp"

using namespace om;

namespace {

// Parses a command line as a tool would; argv[0] is added.
Result<config::ParseOutcome> parse(config::Cli& cli, std::vector<std::string> args) {
  args.insert(args.begin(), "om-backup-test");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return cli.parse(static_cast<int>(argv.size()), argv.data());
}

// Sets an environment variable for one test.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

} // namespace

TEST_CASE("config: command line > environment > config file > settings > default") {
  test::TempDir dir;
  test::write_text(dir / "om.conf",
                   "db-host = from-file\ndb-user = file-user\nlog-dir = /file/logs\n"
                   "keep-daily = 3\nrepo = /file/repo\n");
  ScopedEnv cfg("OM_BACKUP_CONFIG", dir / "om.conf");
  ScopedEnv host("OM_DB_HOST", "from-env");
  ScopedEnv user("OM_DB_USER", "env-user");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_catalog_options();
  cli.add_path_options();
  cli.add_borg_options();
  cli.add_retention_options();
  auto r = parse(cli, {"--db-user", "cli-user"});
  REQUIRE(r);
  CHECK(*r == config::ParseOutcome::run);
  CHECK(o.catalog.user == "cli-user");     // command line beats environment
  CHECK(o.catalog.host == "from-env");     // environment beats config file
  CHECK(o.log_dir == "/file/logs");        // config file beats default
  CHECK(o.keep_daily == 3);                // config file beats settings
  CHECK(o.state_dir == "/var/backups/OM"); // default

  config::SettingsRow row{{"keep_daily", "30"},
                          {"keep_weekly", "9"},
                          {"borg_repo_path", "/db/repo"},
                          {"keep_monthly", std::nullopt}};
  REQUIRE(cli.apply_settings(row));
  CHECK(o.keep_daily == 3);   // the file said so
  CHECK(o.keep_weekly == 9);  // only the settings row said so
  CHECK(o.keep_monthly == 6); // NULL in settings: the default stays
  CHECK(o.repo == "/file/repo");
}

TEST_CASE("config: settings fill what nothing else set - invalid stored values are errors") {
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_borg_options();
  cli.add_backup_settings_options();
  REQUIRE(parse(cli, {"--config", "/dev/null", "--include-uploads=false"}));
  config::SettingsRow row{
      {"borg_repo_path", "/db/repo"}, {"include_uploads", "1"}, {"compression_level", "7"}};
  REQUIRE(cli.apply_settings(row));
  CHECK(o.repo == "/db/repo");
  CHECK(o.include_uploads == false);
  CHECK(o.compression_level == 7);
  config::SettingsRow bad{{"compression_level", "high"}};
  config::Options o2;
  config::Cli cli2("om-backup-test", "test", o2);
  cli2.add_backup_settings_options();
  REQUIRE(parse(cli2, {"--config", "/dev/null"}));
  auto err = cli2.apply_settings(bad);
  REQUIRE_FALSE(err);
  CHECK(err.error().status == ExitStatus::config);
  CHECK(err.error().message.find("compression_level") != std::string::npos);
}

TEST_CASE(
    "config: one file serves every tool but an unknown key names the file and key (exit 78)") {
  test::TempDir dir;
  test::write_text(dir / "shared.conf",
                   "# for every tool\ndb-host = x\nrepo = /r\nkeep_daily = 3\n");
  config::Options shared;
  config::Cli migrate("om-backup-test", "test", shared);
  migrate.add_catalog_options(); // knows nothing of repo or keep-daily, and need not
  auto ok = parse(migrate, {"--config", dir / "shared.conf"});
  REQUIRE(ok);
  CHECK(shared.catalog.host == "x");

  test::write_text(dir / "om.conf", "db-host = x\nretention = 5\n");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_catalog_options();
  auto r = parse(cli, {"--config", dir / "om.conf"});
  REQUIRE_FALSE(r);
  CHECK(r.error().status == ExitStatus::config);
  CHECK(r.error().message.find(dir / "om.conf") != std::string::npos);
  CHECK(r.error().message.find("line 2: unknown key 'retention'") != std::string::npos);
}

TEST_CASE("config: a config file named but missing or not a file is exit 78") {
  test::TempDir dir;
  for (const auto& path : {dir / "missing.conf", dir.path()}) {
    config::Options o;
    config::Cli cli("om-backup-test", "test", o);
    auto r = parse(cli, {"--config", path});
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::config);
    CHECK(r.error().message.find("config file") != std::string::npos);
  }
}

TEST_CASE("config: unknown options and bad values are usage errors (exit 64)") {
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_retention_options();
  auto unknown = parse(cli, {"--config", "/dev/null", "--frobnicate"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().status == ExitStatus::usage);
  CHECK(unknown.error().message.find("--frobnicate") != std::string::npos);
  config::Options o2;
  config::Cli cli2("om-backup-test", "test", o2);
  cli2.add_retention_options();
  auto bad = parse(cli2, {"--config", "/dev/null", "--keep-daily", "many"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().status == ExitStatus::usage);
}

TEST_CASE("config: --help and --version end the tool with success") {
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  auto v = parse(cli, {"--version"});
  REQUIRE(v);
  CHECK(*v == config::ParseOutcome::exit_ok);
}

TEST_CASE("config: a file's value with spaces or commas is that one value, quoted or not") {
  test::TempDir dir;
  test::write_text(dir / "om.conf", "schedule = 30 2 * * 1-5\nnotification-email = \"a@x, b@y\"\n"
                                    "prod-root = /srv/app, live\n");
  ScopedEnv cfg("OM_BACKUP_CONFIG", dir / "om.conf");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_path_options();
  cli.add_backup_settings_options();
  REQUIRE(parse(cli, {}));
  CHECK(o.schedule == "30 2 * * 1-5");
  CHECK(o.notification_email == "a@x, b@y");
  CHECK(o.prod_root == "/srv/app, live");
}

TEST_CASE("config: each setting says where it came from") {
  test::TempDir dir;
  test::write_text(dir / "om.conf",
                   "# the file\nlog-dir = /file/logs\nping-url = https://hc.example/t0k3n\n"
                   "[target.far]\nrepo = ssh://u@h/r\n");
  ScopedEnv cfg("OM_BACKUP_CONFIG", dir / "om.conf");
  ScopedEnv state("OM_STATE_DIR", "/env/state");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_catalog_options();
  cli.add_path_options();
  cli.add_retention_options();
  cli.view_mode();
  REQUIRE(parse(cli, {"--db-user", "admin", "config"}));
  REQUIRE(cli.apply_settings({{"keep_daily", "9"}}));
  std::map<std::string, std::pair<std::string, std::string>> seen;
  for (const auto& s : cli.effective_settings())
    seen[s.key] = {s.value, s.origin};
  const auto file = "file:" + (dir / "om.conf");
  CHECK(seen["db-user"] == std::pair<std::string, std::string>{"admin", "command-line"});
  CHECK(seen["state-dir"] == std::pair<std::string, std::string>{"/env/state", "environment"});
  CHECK(seen["log-dir"] == std::pair<std::string, std::string>{"/file/logs", file + ":2"});
  CHECK(seen["keep-daily"] == std::pair<std::string, std::string>{"9", "backup_settings"});
  CHECK(seen["keep-hourly"] == std::pair<std::string, std::string>{"48", "default"});
  CHECK(seen["ping-url"] == std::pair<std::string, std::string>{"(set)", file + ":3"});
  CHECK(seen["target.far.repo"] == std::pair<std::string, std::string>{"ssh://u@h/r", file + ":5"});
}

TEST_CASE("config: a file's keys reach every option of the tool - flags - copy-to - the command "
          "line and the environment still win") {
  test::TempDir dir;
  test::write_text(dir / "om.conf",
                   "json = yes\nverbose = no\ncopy-to = s3:a/b   # first\ncopy-to = 'dav:c'\n"
                   "rclone = /opt/rclone\ncopy-keep-days = 7\nlog-dir = /file/logs\n"
                   "ping-url = https://hc-ping.example/secret\n[target.usb]\nrepo = /mnt/usb\n");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_output_options();
  cli.add_copy_options();
  cli.add_path_options();
  ScopedEnv env("OM_RCLONE", "/env/rclone");
  REQUIRE(parse(cli, {"--config", dir / "om.conf", "--log-dir", "/cli/logs"}));
  CHECK(o.json);
  CHECK(o.verbose == 0);
  CHECK(o.copy_to == std::vector<std::string>{"s3:a/b", "dav:c"});
  CHECK(o.copy_keep_days == 7);
  CHECK(o.rclone_command == "/env/rclone"); // environment beats file
  CHECK(o.log_dir == "/cli/logs");          // command line beats file
  REQUIRE(o.targets.size() == 1);
  CHECK(o.targets[0].repo == "/mnt/usb");
  CHECK(o.pings.size() == 1);

  config::Options given;
  config::Cli cli2("om-backup-test", "test", given);
  cli2.add_copy_options();
  REQUIRE(parse(cli2, {"--config", dir / "om.conf", "--copy-to", "sftp:x"}));
  CHECK(given.copy_to == std::vector<std::string>{"sftp:x"}); // replaces the file's
}

TEST_CASE("config: a file's value a tool's own check refuses is exit 78 naming the file") {
  test::TempDir dir;
  test::write_text(dir / "om.conf", "db-host = x\nformat = xml\n");
  config::Options o;
  config::Cli cli("om-backup-test", "test", o);
  cli.add_catalog_options();
  cli.app().add_option("--format", o.catalog.user)->check(CLI::IsMember({"table", "json"}));
  auto r = parse(cli, {"--config", dir / "om.conf"});
  REQUIRE_FALSE(r);
  CHECK(r.error().status == ExitStatus::config);
  CHECK_THAT(r.error().message, om::test::StartsWith("config file " + (dir / "om.conf") + ": "));
  CHECK_THAT(r.error().message, om::test::Contains("xml"));
  // The same value on the command line is a usage error.
  config::Options o2;
  config::Cli cli2("om-backup-test", "test", o2);
  cli2.app().add_option("--format", o2.catalog.user)->check(CLI::IsMember({"table", "json"}));
  auto usage = parse(cli2, {"--config", "/dev/null", "--format", "xml"});
  REQUIRE_FALSE(usage);
  CHECK(usage.error().status == ExitStatus::usage);
}
