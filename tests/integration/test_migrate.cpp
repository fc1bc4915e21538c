#include "support/catch.hpp"

#include <algorithm>
#include <om/db/migrations.hpp>

#include "support/test_catalog.hpp"
#include "support/tool_runner.hpp"

using namespace om;

namespace {

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The seed's *original* tables: enums without 'borg', as the application first created them.
void create_seed_era_tables(test::TestCatalog& db) {
  db.exec(
      "CREATE TABLE backup_jobs (id VARCHAR(36) PRIMARY KEY, "
      "kind ENUM('files','db','both') NOT NULL, "
      "status ENUM('queued','running','success','failed','cancelled') NOT NULL DEFAULT 'queued', "
      "requested_by VARCHAR(255), started_at DATETIME NULL, finished_at DATETIME NULL, "
      "duration_ms BIGINT NULL, error TEXT NULL, "
      "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "
      "KEY idx_status (status), KEY idx_created_at (created_at))");
  db.exec("CREATE TABLE backup_artifacts (id VARCHAR(36) PRIMARY KEY, job_id VARCHAR(36) NOT NULL, "
          "artifact_type ENUM('files','database') NOT NULL, file_path VARCHAR(512) NOT NULL, "
          "file_size BIGINT NOT NULL, sha256 VARCHAR(64), manifest_path VARCHAR(512), "
          "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "
          "FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE, KEY idx_job_id "
          "(job_id))");
  db.exec(
      "CREATE TABLE backup_settings (id INT PRIMARY KEY AUTO_INCREMENT, enabled BOOLEAN DEFAULT "
      "TRUE, "
      "schedule VARCHAR(50) DEFAULT '0 2 * * *', keep_hourly INT DEFAULT 48, keep_daily INT "
      "DEFAULT 30, "
      "keep_weekly INT DEFAULT 12, keep_monthly INT DEFAULT 6, compression_level INT DEFAULT 3, "
      "borg_repo_path VARCHAR(255) DEFAULT '/var/backups/OM/repo', include_database BOOLEAN "
      "DEFAULT TRUE, "
      "include_files BOOLEAN DEFAULT TRUE, include_uploads BOOLEAN DEFAULT TRUE, "
      "email_notifications BOOLEAN DEFAULT FALSE, notification_email VARCHAR(255), "
      "verify_after_backup BOOLEAN DEFAULT TRUE, "
      "updated_at DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)");
  db.exec("INSERT INTO backup_jobs VALUES "
          "('11111111-1111-4111-8111-111111111111','both','success','admin','2026-02-01 02:00:00',"
          "'2026-02-01 02:05:00',300000,NULL,'2026-02-01 02:00:00'),"
          "('22222222-2222-4222-8222-222222222222','db','failed','cron','2026-02-02 02:00:00',"
          "'2026-02-02 02:00:03',3000,'mysqldump: access denied','2026-02-02 02:00:00')");
  db.exec("INSERT INTO backup_artifacts VALUES ('33333333-3333-4333-8333-333333333333',"
          "'11111111-1111-4111-8111-111111111111','files','/var/backups/orthodoxmetrics/f.tar.gz',"
          "1234,'abc','/var/backups/orthodoxmetrics/f.json','2026-02-01 02:05:00')");
  db.exec("INSERT INTO backup_settings (keep_daily, borg_repo_path) VALUES (9, '/srv/repo')");
}

std::string table_snapshot(test::TestCatalog& db) {
  return db.scalar(
      "SELECT CONCAT_WS('|', (SELECT GROUP_CONCAT(CONCAT_WS(',', id, kind, status, "
      "requested_by, started_at, finished_at, duration_ms, IFNULL(error,'-'), created_at) "
      "ORDER BY id) FROM backup_jobs), (SELECT GROUP_CONCAT(CONCAT_WS(',', id, job_id, "
      "artifact_type, file_path, file_size, sha256, manifest_path, created_at)) "
      "FROM backup_artifacts), (SELECT GROUP_CONCAT(CONCAT_WS(',', id, keep_daily, "
      "borg_repo_path)) FROM backup_settings))");
}

std::string column_type(test::TestCatalog& db, const std::string& table,
                        const std::string& column) {
  return db.scalar("SELECT COLUMN_TYPE FROM information_schema.columns WHERE table_schema = "
                   "DATABASE() AND table_name = '" +
                   table + "' AND column_name = '" + column + "'");
}

} // namespace

TEST_CASE("migrate creates the seed's tables in an empty database, and again is a no-op") {
  test::TestCatalog db;
  auto first = test::run_tool("om-backup-migrate", db.tool_args());
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.empty());
  CHECK(first.err.empty());
  CHECK(column_type(db, "backup_jobs", "kind") == "enum('files','db','both','borg','copy')");
  CHECK(column_type(db, "backup_artifacts", "artifact_type") ==
        "enum('files','database','borg','copy')");
  CHECK(db.count("SELECT MAX(version) FROM backup_schema_migrations") ==
        db::latest_schema_version());
  auto applied_at = db.scalar("SELECT GROUP_CONCAT(applied_at) FROM backup_schema_migrations");
  auto again = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--json"}));
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("\"versions\":[]") != std::string::npos);
  CHECK(db.scalar("SELECT GROUP_CONCAT(applied_at) FROM backup_schema_migrations") == applied_at);
}

TEST_CASE("migrate upgrades a seed-era database in place with every row intact") {
  test::TestCatalog db;
  create_seed_era_tables(db);
  auto before = table_snapshot(db);
  auto r = test::run_tool("om-backup-migrate", db.tool_args());
  REQUIRE(r.exit_code == 0);
  CHECK(table_snapshot(db) == before);
  CHECK(column_type(db, "backup_jobs", "kind") == "enum('files','db','both','borg','copy')");
  db.exec("INSERT INTO backup_jobs (id, kind, status) VALUES "
          "('44444444-4444-4444-8444-444444444444', 'borg', 'success')");
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'borg'") == 1);
}

TEST_CASE("migrate --status lists applied and pending - --to rolls back and refuses data loss") {
  test::TestCatalog db;
  auto pending = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--status"}));
  REQUIRE(pending.exit_code == 0);
  CHECK(pending.out.find("001  seed_tables") != std::string::npos);
  CHECK(pending.out.find("pending") != std::string::npos);
  CHECK(pending.out.find("applied") == std::string::npos);

  REQUIRE(test::run_tool("om-backup-migrate", db.tool_args()).exit_code == 0);
  auto applied = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--status"}));
  CHECK(applied.out.find("pending") == std::string::npos);

  db.exec("INSERT INTO backup_jobs (id, kind, status) VALUES "
          "('55555555-5555-4555-8555-555555555555', 'borg', 'success')");
  auto refused = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--to", "1"}));
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("refusing to roll back migration 002_borg_enums") != std::string::npos);
  CHECK(refused.err.find("1 backup_jobs rows with kind 'borg'") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
  CHECK(db.count("SELECT MAX(version) FROM backup_schema_migrations") ==
        db::latest_schema_version());

  db.exec("DELETE FROM backup_jobs");
  auto down = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--to", "1"}));
  REQUIRE(down.exit_code == 0);
  CHECK(column_type(db, "backup_jobs", "kind") == "enum('files','db','both')");
  CHECK(db.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                 "AND table_name = 'backup_job_runs'") == 0);
  CHECK(db.count("SELECT MAX(version) FROM backup_schema_migrations") == 1);
  // --to also goes forward, and no further than asked.
  auto up = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--to", "3", "--json"}));
  REQUIRE(up.exit_code == 0);
  CHECK(up.out == "{\"direction\":\"up\",\"versions\":[2,3],\"schema_version\":3}\n");
  CHECK(db.count("SELECT MAX(version) FROM backup_schema_migrations") == 3);
  CHECK(test::run_tool("om-backup-migrate", with(db.tool_args(), {"--to", "999"})).exit_code == 64);
  REQUIRE(test::run_tool("om-backup-migrate", db.tool_args()).exit_code == 0);
  CHECK(db.count("SELECT MAX(version) FROM backup_schema_migrations") ==
        db::latest_schema_version());
}

TEST_CASE("migrate: unreachable catalog and bad arguments get one line and their exit code") {
  auto unreachable = test::run_tool("om-backup-migrate",
                                    {"--db-socket=/nonexistent/mysqld.sock", "--db-user=root"});
  CHECK(unreachable.exit_code == 69);
  CHECK(unreachable.err.starts_with("om-backup-migrate: error: connecting to catalog at "
                                    "/nonexistent/mysqld.sock"));
  CHECK(std::count(unreachable.err.begin(), unreachable.err.end(), '\n') == 1);

  auto unknown = test::run_tool("om-backup-migrate", {"--no-such-option"});
  CHECK(unknown.exit_code == 64);
  CHECK(unknown.err.find("--no-such-option") != std::string::npos);

  test::TestCatalog db;
  auto negative = test::run_tool("om-backup-migrate", with(db.tool_args(), {"--to", "-1"}));
  CHECK(negative.exit_code == 64);
}

TEST_CASE("a wrong catalog password is exit 69 and the password is never printed") {
  test::TestCatalog db;
  db.exec("CREATE USER IF NOT EXISTS 'om_pw_test'@'localhost' IDENTIFIED BY 'right-secret'");
  db.exec("GRANT ALL ON " + db.name() + ".* TO 'om_pw_test'@'localhost'");
  test::TempDir dir;
  test::write_text(dir / "catalog.cnf", "[om-backup]\nuser=om_pw_test\npassword=wrong-secret\n"
                                        "socket=" +
                                            test::test_db_socket() + "\n");
  auto wrong = test::run_tool("om-backup-migrate",
                              {"--db-defaults-file", dir / "catalog.cnf", "--db-name", db.name()});
  CHECK(wrong.exit_code == 69);
  CHECK(wrong.err.find("Access denied for user 'om_pw_test'") != std::string::npos);
  CHECK(wrong.err.find("wrong-secret") == std::string::npos);
  // The same file with the right password in $OM_DB_PASSWORD (which wins): connected.
  auto right = test::run_tool("om-backup-migrate",
                              {"--db-defaults-file", dir / "catalog.cnf", "--db-name", db.name()},
                              {{"OM_DB_PASSWORD", "right-secret"}});
  CHECK(right.exit_code == 0);
  db.exec("DROP USER 'om_pw_test'@'localhost'");
}
