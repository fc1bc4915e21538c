// Hardening: text and input from outside (names, logs, borg's JSON, config files) is stored
// exactly or refused loudly, and one bad input never blocks the rest. Test catalogs are
// created in latin1, as on a bare MariaDB 10.11.
#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>

#include <sys/stat.h>

#include <om/borg/parse.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;

namespace {

test::ToolResult sync(const SampleApp& app, std::vector<std::string> extra = {}) {
  return test::run_tool("om-backup-sync", app.args(std::move(extra)), app.env());
}

// The log folder only: no repository.
test::ToolResult sync_logs(const SampleApp& app) {
  auto a = app.db.tool_args();
  a.insert(a.end(), {"--log-dir", app.logs, "--state-dir", app.state});
  return test::run_tool("om-backup-sync", a, app.env());
}

// A legacy-script log of a run that failed with `error` (the script's own format).
void failed_log(const SampleApp& app, const std::string& name, const std::string& error) {
  test::write_text(app.logs + "/" + name,
                   "[2026-11-27 01:00:00] Starting backup (pid 4242, host vm)\n"
                   "[2026-11-27 01:00:00] Creating archive om-vm-2026-11-27T01:00:00\n"
                   "Error: " +
                       error +
                       "\n"
                       "[2026-11-27 01:00:01] ERROR: borg create exited with rc 2\n"
                       "[2026-11-27 01:00:01] Backup FAILED\n");
}

std::string outcomes(test::TestCatalog& db) {
  return db.scalar("SELECT CONCAT_WS('#', (SELECT COUNT(*) FROM backup_jobs), (SELECT "
                   "GROUP_CONCAT(CONCAT_WS(',', id, status, IFNULL(error, '-')) ORDER BY id) FROM "
                   "backup_jobs), (SELECT COUNT(*) FROM backup_artifacts))");
}

} // namespace

TEST_CASE(
    "hardening: Greek, CJK and emoji in archive names are stored byte-identical and restore") {
  test::TestCatalog db; // created in latin1
  SampleApp app(db);
  // Migration 007 widened the text columns and kept their types and lengths for the UI.
  auto column = [&](const std::string& table, const std::string& name) {
    return db.scalar(
        "SELECT CONCAT_WS('|', COLUMN_TYPE, CHARACTER_SET_NAME, IS_NULLABLE) FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
        table + "' AND COLUMN_NAME = '" + name + "'");
  };
  CHECK(db.scalar("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE "
                  "SCHEMA_NAME = DATABASE()") == "latin1");
  CHECK(column("backup_jobs", "error") == "text|utf8mb4|YES");
  CHECK(column("backup_jobs", "requested_by") == "varchar(255)|utf8mb4|YES");
  CHECK(column("backup_artifacts", "file_path") == "varchar(512)|utf8mb4|NO");
  CHECK(column("backup_job_runs", "archive_name") == "varchar(255)|utf8mb4|YES");
  CHECK(column("backup_settings", "schedule") == "varchar(50)|utf8mb4|YES");
  const std::string format = "om-Σύνοδος-档案-🎉-{now:%Y%m%dT%H%M%S.%f}";
  auto r = app.run({"--archive-format", format, "--requested-by", "Οικονόμος 司祭"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto listing = borg::parse_list(app.borg({"list", "--json", app.repo}));
  REQUIRE(listing);
  REQUIRE(listing->archives.size() == 1);
  const auto name = listing->archives[0].name;
  CHECK(name.starts_with("om-Σύνοδος-档案-🎉-"));
  // Compared as bytes: what borg named the archive is what the catalog holds.
  CHECK(db.scalar("SELECT HEX(archive_name) FROM backup_job_runs") ==
        db.scalar("SELECT HEX(CONVERT(_binary'" + name + "' USING utf8mb4))"));
  CHECK(db.scalar("SELECT archive_name FROM backup_job_runs") == name);
  CHECK(db.scalar("SELECT file_path FROM backup_artifacts") == app.repo + "::" + name);
  CHECK(db.scalar("SELECT requested_by FROM backup_jobs") == "Οικονόμος 司祭");

  auto job = db.scalar("SELECT id FROM backup_jobs");
  auto restored =
      test::run_tool("om-backup-restore",
                     app.args({"files", "--from", job, "--to", app.dir / "restored"}), app.env());
  INFO(restored.err);
  CHECK(restored.exit_code == 0);
  CHECK(util::path_exists(app.dir / "restored/prod/server/index.js"));
}

TEST_CASE("hardening: a 10 MB error line is shortened by us with a marker, never refused") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::string huge = "cannot read /srv/" + std::string(10 << 20, 'x');
  failed_log(app, "backup-20261127-010000.log", huge);
  failed_log(app, "backup-20261127-020000.log", "Σφάλμα: δίσκος γεμάτος 档案 🎉");
  auto r = sync_logs(app);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'failed'") == 2);
  auto error = db.scalar("SELECT error FROM backup_jobs WHERE error LIKE 'Error: cannot read%'");
  CHECK(error.size() <= 65535);
  CHECK(error.starts_with("Error: cannot read /srv/xxxx"));
  CHECK(error.ends_with("… (truncated, " + std::to_string(huge.size() + 7) + " bytes)"));
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE error = 'Error: Σφάλμα: δίσκος γεμάτος "
                 "档案 🎉'") == 1);
}

TEST_CASE("hardening: bytes that are not UTF-8 in a log are replaced, and the log is ingested") {
  test::TestCatalog db;
  SampleApp app(db);
  failed_log(app, "backup-20261127-010000.log", "cannot read /srv/caf\xe9\xff.txt");
  auto r = sync_logs(app);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(db.scalar("SELECT error FROM backup_jobs") ==
        "Error: cannot read /srv/caf\xEF\xBF\xBD\xEF\xBF\xBD.txt");
}

TEST_CASE("hardening: a log sync cannot read is skipped with a warning, the others ingested") {
  test::TestCatalog db;
  SampleApp app(db);
  failed_log(app, "backup-20261127-010000.log", "first failure");
  failed_log(app, "backup-20261127-020000.log", "unreadable failure");
  ::chmod((app.logs + "/backup-20261127-020000.log").c_str(), 0000);
  test::write_text(app.dir / "secret.txt", "[2026-11-27 01:00:00] Backup FAILED\nError: secret\n");
  std::filesystem::create_symlink(app.dir / "secret.txt", app.logs + "/backup-20261127-030000.log");
  failed_log(app, "backup-20261127-040000.log", "last failure");
  failed_log(app, "renamed-20261127-050000.txt",
             "linked failure"); // a link inside the folder is read
  std::filesystem::create_symlink(app.logs + "/renamed-20261127-050000.txt",
                                  app.logs + "/backup-20261127-050000.log");
  (void)app.borg({"init", "--encryption", "repokey", app.repo});

  auto r = app.run_unprivileged({}, "om-backup-sync");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("log " + app.logs + "/backup-20261127-020000.log skipped: reading") !=
        std::string::npos);
  CHECK(r.err.find("Permission denied") != std::string::npos);
  CHECK(
      r.err.find(
          "backup-20261127-030000.log skipped: a symbolic link that leads out of the log folder") !=
      std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE error IN ('Error: first failure', "
                 "'Error: last failure', 'Error: linked failure')") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE error LIKE '%secret%'") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_log_files WHERE outcome = 'skipped'") == 2);

  // Unchanged, they are not tried again; changed, the readable one is ingested.
  auto again = app.run_unprivileged({}, "om-backup-sync");
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
  ::chmod((app.logs + "/backup-20261127-020000.log").c_str(), 0644);
  failed_log(app, "backup-20261127-020000.log", "unreadable failure, now readable");
  auto changed = app.run_unprivileged({}, "om-backup-sync");
  INFO(changed.err);
  CHECK(changed.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE error = 'Error: unreadable failure, now "
                 "readable'") == 1);
}

TEST_CASE("hardening: borg JSON with an impossible value changes nothing (exit 2)") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::string id(64, 'c');
  auto document = [&](const std::string& archive_fields) {
    return "{\"repository\":{\"id\":\"" + std::string(64, 'r') + "\",\"location\":\"" + app.repo +
           "\"},\"archives\":[{\"name\":\"script-1\",\"id\":\"" + id + "\"," + archive_fields +
           "}]}";
  };
  const auto before = outcomes(db);
  for (const auto& fields :
       {std::string("\"start\":\"2026-11-27T01:00:00\",\"duration\":1e300"),
        std::string("\"start\":\"not a time\",\"duration\":1"),
        std::string("\"start\":\"2026-11-27T01:00:00\",\"stats\":{\"compressed_size\":1e300}")}) {
    test::write_text(app.dir / "info.json", document(fields));
    auto r = sync(app, {"--borg-info-json", app.dir / "info.json", "--borg-tz", "UTC"});
    INFO(fields << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("impossible value") != std::string::npos);
    CHECK(outcomes(db) == before);
  }
}

TEST_CASE("hardening: a checkpoint never shifts which archives borg info describes") {
  test::TestCatalog db;
  SampleApp app(db);
  (void)app.borg({"init", "--encryption", "repokey", app.repo});
  (void)app.borg({"create", app.repo + "::first", app.prod});
  REQUIRE(sync(app).exit_code == 0);
  (void)app.borg({"create", app.repo + "::second", app.prod});
  // What an interrupted run leaves: newer than the unknown archive, hidden by `borg list`.
  (void)app.borg({"create", app.repo + "::third.checkpoint", app.prod});
  auto r = sync(app);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2);
  CHECK(
      db.scalar("SELECT CONCAT_WS('|', j.requested_by, a.file_size > 0, j.duration_ms IS NOT NULL) "
                "FROM backup_jobs j JOIN backup_artifacts a ON a.job_id = j.id WHERE a.file_path "
                "LIKE '%::second'") == "script:root@" + util::host_name() + "|1|1");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE file_path LIKE '%checkpoint%'") == 0);
}

TEST_CASE(
    "hardening: config lines that are not key = value, and numbers out of range, are refused") {
  test::TestCatalog db;
  SampleApp app(db);
  auto with_config = [&](const std::string& text, std::vector<std::string> extra = {}) {
    test::write_text(app.dir / "om.conf", text);
    auto env = app.env();
    env["OM_BACKUP_CONFIG"] = app.dir / "om.conf";
    return test::run_tool("om-backup-prune", app.args(std::move(extra)), env);
  };
  auto bare = with_config("keep-daily = 3\nrepo\n");
  CHECK(bare.exit_code == 78);
  CHECK(bare.err.find(app.dir / "om.conf line 2: 'repo' is not 'key = value'") !=
        std::string::npos);
  CHECK_FALSE(util::path_exists("true"));
  CHECK(with_config("[offsite]\nrepo = /x\n").exit_code == 78);
  auto twice = with_config("keep-daily = 3\nkeep_daily = 4\n");
  CHECK(twice.exit_code == 78);
  CHECK(twice.err.find("line 2: key 'keep_daily' is given again (first on line 1)") !=
        std::string::npos);
  auto negative_in_file = with_config("keep-daily = -1\n");
  CHECK(negative_in_file.exit_code == 78);
  CHECK(negative_in_file.err.find("line 1: keep-daily must be a whole number from 0") !=
        std::string::npos);
  auto negative_argument = with_config("", {"--keep-daily", "-1"});
  CHECK(negative_argument.exit_code == 64);
  CHECK(negative_argument.err.find("--keep-daily") != std::string::npos);
  CHECK(std::count(negative_argument.err.begin(), negative_argument.err.end(), '\n') == 1);
  db.exec("INSERT INTO backup_settings (keep_daily) VALUES (-2)");
  auto negative_setting = with_config("");
  CHECK(negative_setting.exit_code == 78);
  CHECK(negative_setting.err.find("backup_settings.keep_daily must be a whole number") !=
        std::string::npos);
}

TEST_CASE("hardening: report ages past the epoch mean all, overflowing ones are usage errors") {
  test::TestCatalog db;
  REQUIRE(test::run_tool("om-backup-migrate", db.tool_args()).exit_code == 0);
  db.exec("INSERT INTO backup_jobs (id, kind, status, created_at, error) VALUES ('j1', 'borg', "
          "'failed', '1990-05-01 00:00:00', CONCAT('bad ', CHAR(27), '[2J', CHAR(27), ']0;owned', "
          "CHAR(7), ' name', CHAR(10), 'second line'))");
  auto report = [&](std::vector<std::string> args) {
    auto a = db.tool_args();
    a.insert(a.end(), args.begin(), args.end());
    return test::run_tool("om-backup-report", a);
  };
  auto all = report({"jobs", "--since", "1900-01-01", "--json"});
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("\"j1\"") != std::string::npos);
  CHECK(report({"jobs", "--since", "99999d", "--json"}).out.find("\"j1\"") != std::string::npos);
  auto huge = report({"jobs", "--since", "99999999999999999d"});
  CHECK(huge.exit_code == 64);
  CHECK(huge.err.find("too large") != std::string::npos);

  // The error holds terminal escape sequences: a table shows them as text.
  auto table = report({"jobs"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.find('\x1b') == std::string::npos);
  CHECK(table.out.find('\x07') == std::string::npos);
  CHECK(table.out.find("bad \\x1b[2J\\x1b]0;owned\\x07 name\\nsecond line") != std::string::npos);
}
