#include "support/catch.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include <sys/stat.h>

#include <om/borg/parse.hpp>
#include <om/jobs/spool.hpp>
#include <om/lock/host_lock.hpp>
#include <om/proc/run.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>

#include "support/held_run.hpp"

using namespace om;
using test::borg_create_running;
using test::eventually;
using test::SampleApp;
using test::start_held_run;

namespace {

std::size_t count_files(const std::string& dir, const std::string& suffix) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    n += e.path().string().ends_with(suffix) ? 1 : 0;
  return n;
}

std::vector<borg::ArchiveRef> archives(const SampleApp& app) {
  auto listing = borg::parse_list(app.borg({"list", "--json", app.repo}));
  REQUIRE(listing);
  return listing->archives;
}

} // namespace

TEST_CASE("run: a borg backup of the sample app is recorded exactly as the UI reads it") {
  test::TestCatalog db;
  SampleApp app(db);
  auto r = app.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());

  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
  CHECK(db.scalar("SELECT CONCAT_WS('|', kind, status, requested_by, error IS NULL, "
                  "started_at <= finished_at, duration_ms > 0, created_at = started_at) "
                  "FROM backup_jobs") == "borg|success|cron|1|1|1|1");
  auto listed = archives(app);
  REQUIRE(listed.size() == 1);
  CHECK(db.scalar("SELECT CONCAT_WS('|', artifact_type, file_path, sha256, file_size > 0) "
                  "FROM backup_artifacts") ==
        "borg|" + app.repo + "::" + listed[0].name + "|" + listed[0].id + "|1");
  CHECK(listed[0].name.starts_with("om-" + util::host_name() + "-"));

  auto log_path = db.scalar("SELECT log_path FROM backup_job_runs");
  CHECK(log_path.starts_with(app.logs + "/backup-"));
  auto log = test::read_text(log_path);
  CHECK(log.find("job " + db.scalar("SELECT id FROM backup_jobs")) != std::string::npos);
  CHECK(log.find(app.passphrase) == std::string::npos);

  auto manifest = test::read_text(db.scalar("SELECT manifest_path FROM backup_artifacts"));
  CHECK(manifest.find("\"archive_id\":\"" + listed[0].id + "\"") != std::string::npos);
  CHECK(manifest.find("\"hostname\":\"" + util::host_name() + "\"") != std::string::npos);
  CHECK(manifest.find("\"command_line\"") != std::string::npos); // borg's own description
  CHECK(test::manifest_problems({db.scalar("SELECT manifest_path FROM backup_artifacts")}).empty());

  // Contents: the tree without node_modules, the uploads, and a complete dump.
  auto contents = app.borg({"list", "--short", app.repo + "::" + listed[0].name});
  CHECK(contents.find("server/index.js") != std::string::npos);
  CHECK(contents.find("uploads/records/baptism 1.pdf") != std::string::npos);
  CHECK(contents.find("node_modules") == std::string::npos);
  auto dump = app.borg(
      {"extract", "--stdout", app.repo + "::" + listed[0].name, "database/" + db.name() + ".sql"});
  CHECK(dump.find("Святой Дух") != std::string::npos);
  CHECK(dump.find("-- Dump completed") != std::string::npos);

  // A second run does not re-initialise and keeps both archives (hourly rule).
  auto again = app.run();
  REQUIRE(again.exit_code == 0);
  CHECK(archives(app).size() == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 2);
}

TEST_CASE("run: without a passphrase it fails at once with exit 78 and says how to set one") {
  test::TestCatalog db;
  SampleApp app(db);
  auto env = app.env();
  env.erase("BORG_PASSPHRASE");
  auto r =
      test::run_tool("om-backup-run", app.args(), env, {"BORG_PASSPHRASE", "BORG_PASSCOMMAND"});
  CHECK(r.exit_code == 78);
  CHECK(r.err.find("BORG_PASSPHRASE") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(db.scalar("SELECT CONCAT(status, ': ', error) FROM backup_jobs")
            .starts_with("failed: no borg passphrase: set BORG_PASSPHRASE"));
  CHECK_FALSE(util::path_exists(app.repo));
}

TEST_CASE("run: a passphrase file that others can read is refused (exit 78)") {
  test::TestCatalog db;
  SampleApp app(db);
  test::write_text(app.dir / "pass", app.passphrase + "\n");
  ::chmod((app.dir / "pass").c_str(), 0644);
  auto env = app.env();
  env.erase("BORG_PASSPHRASE");
  auto loose = test::run_tool("om-backup-run", app.args({"--passphrase-file", app.dir / "pass"}),
                              env, {"BORG_PASSPHRASE"});
  CHECK(loose.exit_code == 78);
  CHECK(loose.err.find("chmod 600") != std::string::npos);
  ::chmod((app.dir / "pass").c_str(), 0600);
  auto strict = test::run_tool("om-backup-run", app.args({"--passphrase-file", app.dir / "pass"}),
                               env, {"BORG_PASSPHRASE"});
  INFO(strict.err);
  CHECK(strict.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 1);
}

TEST_CASE("run: wrong passphrase, missing repository parent, unreadable source are failed jobs") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);

  auto env = app.env();
  env["BORG_PASSPHRASE"] = "wrong";
  auto wrong = test::run_tool("om-backup-run", app.args(), env);
  CHECK(wrong.exit_code == 78);
  CHECK(wrong.err.find("passphrase supplied in BORG_PASSPHRASE") != std::string::npos);
  CHECK(wrong.err.find("wrong") == std::string::npos);

  auto no_parent = app.run({"--repo", app.dir / "missing/parent/repo"});
  CHECK(no_parent.exit_code == 2);
  CHECK(no_parent.err.find("parent folder " + app.dir / "missing/parent does not exist") !=
        std::string::npos);

  auto no_source = app.run({"--prod-root", app.dir / "no-such-tree"});
  CHECK(no_source.exit_code == 2);
  CHECK(no_source.err.find("source " + app.dir / "no-such-tree cannot be read") !=
        std::string::npos);

  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'failed' AND error IS NOT NULL "
                 "AND finished_at IS NOT NULL") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 1);
  CHECK(archives(app).size() == 1);
}

TEST_CASE("run: a second run while the first holds the lock exits 75 naming the first") {
  test::TestCatalog db;
  SampleApp app(db);
  test::ToolResult first;
  auto runner = start_held_run(app, first);
  auto first_id = db.scalar("SELECT id FROM backup_jobs WHERE status = 'running'");

  auto second = app.run();
  test::write_text(app.dir / "go", "");
  runner.join();
  CHECK(second.exit_code == 75);
  CHECK(second.err.find("another backup is running: job " + first_id) != std::string::npos);
  CHECK(second.err.find("pid ") != std::string::npos);
  CHECK(first.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);

  // The same host lock, held by another process of ours: the same answer, nothing recorded.
  auto held = lock::HostLock::acquire(app.state, {"held-job", "otherhost", 4242, 0, "test"});
  REQUIRE(held);
  auto blocked = app.run();
  CHECK(blocked.exit_code == 75);
  CHECK(blocked.err.find("job held-job (test) on host otherhost, pid 4242") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
}

TEST_CASE("run: a UI-queued job is adopted and not duplicated and a blocked one is cancelled") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::string id = "0a1b2c3d-0000-4000-8000-000000000001";
  db.exec("INSERT INTO backup_jobs (id, kind, status, requested_by) VALUES ('" + id +
          "', 'borg', 'queued', 'admin@parish')");
  auto r = app.run({"--job-id", id});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, requested_by, started_at IS NOT NULL) FROM "
                  "backup_jobs") == "success|admin@parish|1");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE job_id = '" + id + "'") == 1);

  auto again = test::run_tool("om-backup-run", app.args({"--job-id", id}),
                              {{"OM_BACKUP_JOB_ID", id},
                               {"BORG_PASSPHRASE", app.passphrase},
                               {"BORG_BASE_DIR", app.dir / "borg-home"}});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("it is 'success', not 'queued'") != std::string::npos);
  auto missing = app.run({"--job-id", "0a1b2c3d-0000-4000-8000-00000000dead"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("no such job") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);

  const std::string queued = "0a1b2c3d-0000-4000-8000-000000000002";
  db.exec("INSERT INTO backup_jobs (id, kind, status, requested_by) VALUES ('" + queued +
          "', 'borg', 'queued', 'admin@parish')");
  auto held = lock::HostLock::acquire(app.state, {"other-job", "web2", 77, 0, "om-backup-run"});
  REQUIRE(held);
  auto blocked = app.run({"--job-id", queued});
  CHECK(blocked.exit_code == 75);
  CHECK(db.scalar("SELECT CONCAT(status, ': ', error) FROM backup_jobs WHERE id = '" + queued +
                  "'") ==
        "cancelled: another backup is running: job other-job (om-backup-run) on host web2, pid 77");
}

TEST_CASE("run: a run killed with SIGKILL is closed as abandoned by the next run") {
  test::TestCatalog db;
  SampleApp app(db);
  test::ToolResult killed;
  auto runner = start_held_run(app, killed);
  auto pid = db.count("SELECT pid FROM backup_job_runs");
  // The whole process tree dies at once, as in a power loss: the tool and its children.
  auto dump_pid = std::stoi(test::read_text(app.dir / "dump.pid"));
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  runner.join();
  CHECK(killed.term_signal == SIGKILL);
  ::kill(-dump_pid, SIGKILL);
  test::write_text(app.dir / "go", "");
  REQUIRE(eventually([&] { return !borg_create_running(app.repo); }));
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "running");

  auto next = app.run();
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(db.scalar("SELECT CONCAT(status, ': ', LEFT(error, 10)) FROM backup_jobs WHERE id <> "
                  "(SELECT job_id FROM backup_artifacts)") == "failed: abandoned:");
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 1);
}

TEST_CASE("run: SIGTERM stops borg, the job ends cancelled, exit 130") {
  test::TestCatalog db;
  SampleApp app(db);
  test::ToolResult stopped;
  auto runner = start_held_run(app, stopped);
  auto pid = db.count("SELECT pid FROM backup_job_runs");
  ::kill(static_cast<pid_t>(pid), SIGTERM);
  runner.join();
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.err.find("interrupted") != std::string::npos);
  CHECK(db.scalar("SELECT CONCAT(status, ': ', error) FROM backup_jobs") ==
        "cancelled: interrupted by Terminated");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
}

TEST_CASE("run: a dump that fails midway fails the job and leaves no archive") {
  test::TestCatalog db;
  SampleApp app(db);
  auto broken = app.write_script(
      "broken-dump.sh", "echo 'CREATE TABLE half (id INT);'\n"
                        "echo 'mysqldump: Error 2013: Lost connection to server during query' >&2\n"
                        "exit 2");
  auto r = app.run({"--mysqldump", broken});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("database dump failed: mysqldump: Error 2013") != std::string::npos);
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "failed");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
  CHECK(archives(app).empty());

  // Wrong credentials for the application database: the same, with mysqldump's own words.
  test::write_text(app.dir / "bad.cnf", "[client]\nsocket=" + test::test_db_socket() +
                                            "\nuser=nobody_here\npassword=nope\n");
  auto denied = app.run({"--app-db-defaults-file", app.dir / "bad.cnf"});
  CHECK(denied.exit_code == 2);
  CHECK(denied.err.find("Access denied") != std::string::npos);
  CHECK(denied.err.find("nope") == std::string::npos);
  CHECK(archives(app).empty());
}

TEST_CASE("run: with the catalog down the backup is made and spooled, then written later") {
  test::TestCatalog db;
  SampleApp app(db);
  auto down =
      test::run_tool("om-backup-run",
                     {"--db-socket", app.dir / "no-server.sock", "--db-user", "root", "--db-name",
                      db.name(), "--repo", app.repo, "--prod-root", app.prod, "--log-dir", app.logs,
                      "--state-dir", app.state, "--include-database", "false"},
                     app.env());
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(down.err.find("spooled") != std::string::npos);
  CHECK(archives(app).size() == 1);
  CHECK(count_files(app.state + "/spool", ".json") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);

  auto next = app.run();
  INFO(next.err);
  REQUIRE(next.exit_code == 0);
  CHECK(count_files(app.state + "/spool", ".json") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 2);
}

TEST_CASE("run: --dry-run shows the plan and touches nothing") {
  test::TestCatalog db;
  SampleApp app(db);
  auto r = app.run({"--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("archive:    om-") != std::string::npos);
  CHECK(r.out.find("create --log-json --json --compression zstd,3") != std::string::npos);
  CHECK(r.out.find("prune --log-json --list --glob-archives 'om-") != std::string::npos);
  CHECK(r.out.find("mysqldump --defaults-file=") != std::string::npos);
  CHECK(r.out.find(app.passphrase) == std::string::npos);
  CHECK_FALSE(util::path_exists(app.repo));
  CHECK_FALSE(util::path_exists(app.logs));
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);
}

TEST_CASE("run: settings from backup_settings, --if-due, --json and hooks") {
  test::TestCatalog db;
  SampleApp app(db);
  db.exec("INSERT INTO backup_settings (enabled, schedule, compression_level, include_database, "
          "keep_hourly, keep_daily, email_notifications, notification_email) VALUES "
          "(0, '0 0 1 1 *', 0, 0, 0, 2, 1, 'ops@example.org')");
  auto disabled = app.run({"--if-due"});
  CHECK(disabled.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);

  db.exec("UPDATE backup_settings SET enabled = 1");
  auto mail = app.write_script("sendmail.sh", "cat > " + app.dir / "mail.txt");
  auto hook = app.write_script("hook.sh", "echo \"$OM_JOB_ID $OM_JOB_STATUS $OM_JOB_KIND\" > " +
                                              app.dir / "hook.txt");
  auto due = app.run({"--if-due", "--json", "--sendmail", mail, "--on-success", hook});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  auto record = jobs::record_from_json(due.out);
  REQUIRE(record);
  CHECK(record->job.status == jobs::Status::success);
  CHECK(record->job.requested_by == "cron");
  REQUIRE(record->artifacts.size() == 1);
  CHECK(db.scalar("SELECT id FROM backup_jobs") == record->job.id);
  CHECK(test::read_text(app.dir / "hook.txt") == record->job.id + " success borg\n");
  auto mail_text = test::read_text(app.dir / "mail.txt");
  CHECK(mail_text.find("To: ops@example.org") != std::string::npos);
  CHECK(mail_text.find("Subject: [om-backup] borg backup success") != std::string::npos);
  // compression_level 0 is lz4, include_database 0 means no dump.
  auto log = test::read_text(db.scalar("SELECT log_path FROM backup_job_runs"));
  CHECK(log.find("mysqldump") == std::string::npos);
  auto contents = app.borg({"list", "--short", app.repo + "::" + *record->details.archive_name});
  CHECK(contents.find("database/") == std::string::npos);

  // Due once a year: the next check finds it already run.
  auto not_due = app.run({"--if-due"});
  CHECK(not_due.exit_code == 0);
  CHECK(not_due.out.empty());
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
}

TEST_CASE("tools refuse a catalog whose schema is behind with exit 78") {
  test::TestCatalog db;
  SampleApp app(db, false);
  auto r = app.run();
  CHECK(r.exit_code == 78);
  CHECK(r.err.find("run om-backup-migrate") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("run: borg's warnings (rc 1) make a success with warning text and exit 1") {
  test::TestCatalog db;
  SampleApp app(db);
  test::write_text(app.prod + "/private/locked.key", "secret");
  ::chmod((app.prod + "/private/locked.key").c_str(), 0000);
  auto r = app.run_unprivileged({"--include-database", "false"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("om-backup-run: warning: ") != std::string::npos);
  CHECK(db.scalar("SELECT CONCAT(status, ' | ', error) FROM backup_jobs")
            .starts_with("success | warning: " + app.prod + "/private/locked.key: "));
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 1);
  CHECK(archives(app).size() == 1);
}

TEST_CASE("sync: the archive borg finished after its run was killed belongs to that run's job") {
  test::TestCatalog db;
  SampleApp app(db);
  test::ToolResult killed;
  auto runner = start_held_run(app, killed);
  auto job = db.scalar("SELECT id FROM backup_jobs");
  auto pid = db.count("SELECT pid FROM backup_job_runs");
  // Only om-backup-run dies: borg, in its own process group, goes on and finishes the archive.
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  runner.join();
  CHECK(killed.term_signal == SIGKILL);
  test::write_text(app.dir / "go", "");
  REQUIRE(eventually([&] { return !borg_create_running(app.repo); }));
  REQUIRE(archives(app).size() == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
  CHECK(db.scalar("SELECT archive_name FROM backup_job_runs") == archives(app).front().name);

  auto sync = test::run_tool("om-backup-sync", app.args({"--json"}), app.env());
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK(sync.out.find("\"jobs_created\":0") != std::string::npos);
  CHECK(sync.out.find("\"jobs_enriched\":1") != std::string::npos);
  CHECK(sync.out.find("\"abandoned_closed\":1") != std::string::npos);
  // One job, the killed run's: closed as abandoned, and it owns the archive it left.
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
  CHECK(db.scalar("SELECT CONCAT(status, ': ', LEFT(error, 10)) FROM backup_jobs") ==
        "failed: abandoned:");
  CHECK(db.scalar("SELECT job_id FROM backup_artifacts WHERE artifact_type = 'borg'") == job);
  CHECK(db.scalar("SELECT archive_id FROM backup_job_runs") ==
        db.scalar("SELECT sha256 FROM backup_artifacts"));
  auto again = test::run_tool("om-backup-sync", app.args({"--json"}), app.env());
  CHECK(again.out.find("\"jobs_enriched\":0") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 1);
}
