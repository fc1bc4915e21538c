#include "support/catch.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

#include <simdjson.h>

#include <om/borg/parse.hpp>
#include <om/proc/run.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

#include "support/sample_app.hpp"

using namespace om;
using om::test::Contains;
using om::test::StartsWith;
using test::SampleApp;

namespace {

std::string fixture(const std::string& name) {
  return std::string(OM_FIXTURES_DIR) + "/" + name;
}

// The catalog as the UI sees it, to compare before and after.
std::string history(test::TestCatalog& db) {
  return db.scalar("SELECT CONCAT_WS('#', (SELECT GROUP_CONCAT(CONCAT_WS(',', id, kind, status, "
                   "requested_by, started_at, finished_at, duration_ms, IFNULL(error, '-'), "
                   "created_at) ORDER BY id SEPARATOR ';') FROM backup_jobs), (SELECT "
                   "GROUP_CONCAT(CONCAT_WS(',', id, job_id, file_path, file_size, sha256) ORDER "
                   "BY id SEPARATOR ';') FROM backup_artifacts))");
}

test::ToolResult run_sync(const SampleApp& app, std::vector<std::string> extra = {}) {
  return test::run_tool("om-backup-sync", app.args(std::move(extra)), app.env());
}

std::int64_t json_int(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  return int64_t(parser.parse(json)[key]);
}

// The legacy script names its log by the second: two runs must not share one.
void next_second() {
  auto now = util::now_unix();
  while (util::now_unix() == now)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

test::ToolResult legacy_script(const SampleApp& app, const std::string& passphrase,
                               const std::string& sources) {
  next_second();
  proc::Command cmd;
  cmd.argv = {"bash", fixture("legacy-script/om-backup-v2.sh")};
  cmd.env_set = app.env();
  cmd.env_set["BORG_REPO"] = app.repo;
  cmd.env_set["BORG_PASSPHRASE"] = passphrase;
  cmd.env_set["OM_SOURCES"] = sources;
  cmd.env_set["OM_LOG_DIR"] = app.logs;
  cmd.timeout = std::chrono::minutes(2);
  auto r = proc::run(cmd);
  REQUIRE(r);
  test::ToolResult out;
  out.exit_code = r->exit_code;
  out.out = r->stdout_text;
  out.err = r->stderr_text;
  return out;
}

} // namespace

TEST_CASE("sync: script runs, a manual borg create and om-backup-run make exactly five jobs") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(legacy_script(app, app.passphrase, app.prod).exit_code == 0);
  CHECK(legacy_script(app, "wrong passphrase", app.prod).exit_code == 2);
  REQUIRE(legacy_script(app, app.passphrase, app.prod + " " + app.dir / "missing").exit_code == 0);
  (void)app.borg({"create", app.repo + "::manual-before-upgrade", app.prod});
  auto ours = app.run(
      {"--keep-hourly", "0", "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0"});
  INFO(ours.err);
  REQUIRE(ours.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);

  auto first = run_sync(app, {"--json"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(json_int(first.out, "archives_seen") == 4);
  CHECK(json_int(first.out, "failed_runs") == 1);

  const auto host = util::host_name();
  const std::string script_user = "script:root@" + host;
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 5);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'borg'") == 5);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE requested_by = '" + script_user +
                 "' AND status = 'success' AND error IS NULL") == 2); // script run 1, manual
  // borg 1.2 says "…/missing: [Errno 2] No such file or directory: 'missing'", borg 1.4
  // "…/missing: stat: [Errno 2] No such file or directory: '/tmp/…/missing'".
  const auto warned = db.scalar("SELECT CONCAT(requested_by, ' ', error) FROM backup_jobs WHERE "
                                "status = 'success' AND error LIKE 'warning:%'");
  CHECK_THAT(warned, StartsWith(script_user + " warning: " + app.dir.path() + "/missing: "));
  CHECK_THAT(warned, Contains("[Errno 2] No such file or directory: '"));
  CHECK(db.scalar("SELECT CONCAT_WS(' | ', requested_by, error) FROM backup_jobs WHERE status = "
                  "'failed'") ==
        script_user + " | passphrase supplied in BORG_PASSPHRASE, by BORG_PASSCOMMAND or via "
                      "BORG_PASSPHRASE_FD is incorrect.");
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE requested_by = 'cron'") == 1);
  // Synthesized jobs sort by when they ran, and every archive has exactly one artifact.
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE created_at <> started_at") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE started_at > finished_at OR started_at "
                 "< NOW() - INTERVAL 1 HOUR OR started_at > NOW()") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 4);
  // Every manifest, om-backup-run's and the three sync wrote, has the one documented shape.
  const auto paths =
      db.scalar("SELECT GROUP_CONCAT(manifest_path SEPARATOR '\\n') FROM backup_artifacts");
  std::vector<std::string> manifests;
  for (auto path : util::split(paths, '\n'))
    manifests.emplace_back(path);
  CHECK(manifests.size() == 4);
  CHECK(test::manifest_problems(manifests) == "");
  CHECK(db.count("SELECT COUNT(DISTINCT sha256) FROM backup_artifacts") == 4);
  CHECK(db.count("SELECT COUNT(*) FROM backup_job_runs r JOIN backup_jobs j ON j.id = r.job_id "
                 "WHERE j.requested_by LIKE 'script:%' AND r.log_path IS NOT NULL") == 3);

  auto before = history(db);
  auto second = run_sync(app, {"--json"});
  REQUIRE(second.exit_code == 0);
  CHECK(json_int(second.out, "jobs_created") == 0);
  CHECK(json_int(second.out, "logs_read") == 0);
  CHECK(json_int(second.out, "logs_unchanged") == 4);
  CHECK(history(db) == before);
}

TEST_CASE("sync: an archive pruned with borg by the retention loses its artifact row and its "
          "job stays") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  (void)app.borg({"create", app.repo + "::by-hand", app.prod});
  (void)app.borg({"create", app.repo + "::by-hand-later", app.prod});
  REQUIRE(run_sync(app).exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 3);
  // Recorded a while ago: an artifact recorded in the second a listing begins (or later) is
  // judged by the next sync's listing, not by that one.
  db.exec("UPDATE backup_artifacts SET created_at = created_at - INTERVAL 1 MINUTE");
  // A script's own prune, by the retention the catalog has (the newest archive only).
  db.exec("INSERT INTO backup_settings (keep_hourly, keep_daily, keep_weekly, keep_monthly) "
          "VALUES (1, 0, 0, 0)");
  (void)app.borg({"delete", app.repo + "::by-hand"});
  auto r = run_sync(app, {"--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_int(r.out, "artifacts_removed") == 1);
  CHECK(json_int(r.out, "archives_vanished") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs j LEFT JOIN backup_artifacts a ON a.job_id = "
                 "j.id WHERE a.id IS NULL AND j.requested_by LIKE 'script:%'") == 1);
}

TEST_CASE("sync: an archive deleted by hand that the retention would keep vanished - its row "
          "stays and the sync fails until acknowledged") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  (void)app.borg({"create", app.repo + "::by-hand", app.prod});
  REQUIRE(run_sync(app).exit_code == 0);
  db.exec("UPDATE backup_artifacts SET created_at = created_at - INTERVAL 1 MINUTE");
  (void)app.borg({"delete", app.repo + "::by-hand"}); // the newest: every retention keeps it
  auto r = run_sync(app, {"--json"});
  CHECK(r.exit_code == 2);
  CHECK(json_int(r.out, "archives_vanished") == 1);
  CHECK(json_int(r.out, "artifacts_removed") == 0);
  CHECK(r.err ==
        "om-backup-sync: warning: event 1: archive by-hand vanished from target local "
        "(archive id " +
            db.scalar("SELECT sha256 FROM backup_artifacts WHERE file_path LIKE '%::by-hand'") +
            "; not pruned by om-backup, and the target's retention would keep it)\n"
            "om-backup-sync: error: archive by-hand vanished from target local (event "
            "1): not pruned by om-backup; find out who deleted it, then om-backup-check "
            "--ack EVENT --why TEXT\n");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 2);
  CHECK(run_sync(app).exit_code == 2); // still, and raised once
  CHECK(db.count("SELECT COUNT(*) FROM backup_integrity_events") == 1);
  auto ack =
      test::run_tool("om-backup-check", app.args({"--ack", "1", "--why", "a test"}), app.env());
  INFO(ack.err);
  CHECK(ack.exit_code == 0);
  CHECK(run_sync(app).exit_code == 0);
}

TEST_CASE("sync: truncated or garbage JSON is exit 2 and changes nothing") {
  test::TestCatalog db;
  SampleApp app(db);
  auto good =
      run_sync(app, {"--borg-list-json", fixture("borg-1.2.4/list.json"), "--borg-info-json",
                     fixture("borg-1.2.4/info-archives.json"), "--borg-tz", "UTC"});
  INFO(good.err);
  REQUIRE(good.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 6);
  auto before = history(db);

  auto full = test::read_text(fixture("borg-1.2.4/list.json"));
  test::write_text(app.dir / "truncated.json", full.substr(0, full.size() / 2));
  test::write_text(app.dir / "garbage.json", "Traceback (most recent call last):\n");
  test::write_text(
      app.dir / "empty.json",
      R"({"archives": [], "repository": {"id": "e60cbd370c62f36e5cad92f28a4931b1de279878a224c94b6270881d62041596", "location": "/tmp/fx/repo"}})");
  for (const auto& bad : {"truncated.json", "garbage.json", "empty.json"}) {
    INFO(bad);
    auto r = run_sync(app, {"--borg-list-json", app.dir / bad});
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(history(db) == before);
  }
}

TEST_CASE("sync: a borg info document that breaks off after a batch was written changes nothing") {
  test::TestCatalog db;
  SampleApp app(db);
  // 2,500 archives: more than one batch of rows is written before the document breaks off.
  auto data = app.dir / "gen";
  (void)test::shell("python3 " +
                    util::shell_quote(std::string(OM_SOURCE_DIR) + "/bench/gen_sync_data.py") +
                    " " + util::shell_quote(data) + " 2500 0");
  auto info = test::read_text(data + "/info.json");
  auto cut = info.find("\"name\": \"om-web1-2015-04-15"); // the 2,497th archive
  REQUIRE(cut != std::string::npos);
  test::write_text(app.dir / "broken-info.json", info.substr(0, cut));
  auto r = run_sync(app, {"--borg-list-json", data + "/list.json", "--borg-info-json",
                          app.dir / "broken-info.json", "--borg-tz", "UTC"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("ends early") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
  CHECK(test::shell("find " + util::shell_quote(app.state) + " -name '*.json' | wc -l") == "0\n");

  auto whole = run_sync(app, {"--borg-list-json", data + "/list.json", "--borg-info-json",
                              data + "/info.json", "--borg-tz", "UTC", "--json"});
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  CHECK(json_int(whole.out, "jobs_created") == 2500);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2500);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE file_size > 0") == 2500);
  CHECK(test::shell("find " + util::shell_quote(app.state + "/manifests") +
                    " -name '*.json' | wc -l") == "2500\n");
}

TEST_CASE("sync: the fixture repository's JSON becomes jobs with borg's times and stats") {
  test::TestCatalog db;
  SampleApp app(db);
  auto r = run_sync(app, {"--borg-info-json", "-", "--borg-tz", "UTC", "--json"});
  // stdin is /dev/null for run_tool: an empty document is an error, not "no archives".
  CHECK(r.exit_code == 2);
  auto ok = run_sync(
      app, {"--borg-info-json", fixture("borg-1.2.4/info-archives.json"), "--borg-tz", "UTC"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 6); // the .checkpoint is not a backup
  db.exec("SET time_zone = '+00:00'");
  CHECK(db.scalar("SELECT CONCAT_WS('|', j.status, j.requested_by, j.started_at, j.duration_ms, "
                  "a.file_path, a.file_size) FROM backup_jobs j JOIN backup_artifacts a ON "
                  "a.job_id = j.id WHERE a.sha256 = "
                  "'0d7137b2f4111ad6a75466b15c2428bceb39cc094e844a148f4cd5de01fab5a5'") ==
        "success|script:root@vm|2026-11-21 02:00:00|4|" + app.repo +
            "::om-web1-2026-11-21T02:00:00|100906");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE file_path LIKE '%checkpoint%'") == 0);
}

TEST_CASE("sync: a log still being written is read again once it grows") {
  test::TestCatalog db;
  SampleApp app(db);
  // Only logs: no repository is configured, so none is read.
  auto logs_only = [&](std::vector<std::string> extra) {
    auto args = db.tool_args();
    args.insert(args.end(), {"--log-dir", app.logs, "--state-dir", app.state});
    args.insert(args.end(), extra.begin(), extra.end());
    return test::run_tool("om-backup-sync", args, app.env());
  };
  auto log = app.logs + "/backup-20261126-030000.log";
  test::write_text(log, "[2026-11-26 03:00:00] Starting backup (pid 9, host web9)\n"
                        "[2026-11-26 03:00:00] Creating archive om-web9-2026-11-26T03:00:00\n");
  auto first = logs_only({"--json", "--log-tz", "UTC"});
  REQUIRE(first.exit_code == 0);
  CHECK(json_int(first.out, "logs_read") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);

  auto unchanged = logs_only({"--json", "--log-tz", "UTC"});
  CHECK(json_int(unchanged.out, "logs_read") == 0);

  std::ofstream(log, std::ios::app)
      << "Failed to create/acquire the lock /srv/repo/lock.exclusive (timeout).\n"
      << "[2026-11-26 03:00:02] ERROR: borg create exited with rc 2\n"
      << "[2026-11-26 03:00:02] Backup FAILED\n";
  auto grown = logs_only({"--json", "--log-tz", "UTC"});
  REQUIRE(grown.exit_code == 0);
  CHECK(json_int(grown.out, "failed_runs") == 1);
  db.exec("SET time_zone = '+00:00'");
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, requested_by, started_at, finished_at, "
                  "duration_ms, error) FROM backup_jobs") ==
        "failed|script:root@web9|2026-11-26 03:00:00|2026-11-26 03:00:02|2000|"
        "Failed to create/acquire the lock /srv/repo/lock.exclusive (timeout).");
  CHECK(db.scalar("SELECT log_path FROM backup_job_runs") == log);
  auto again = logs_only({"--json", "--log-tz", "UTC"});
  CHECK(json_int(again.out, "logs_read") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
}

TEST_CASE("sync: --dry-run reports and changes nothing, and two syncs at once never duplicate") {
  test::TestCatalog db;
  SampleApp app(db);
  std::vector<std::string> from_fixture = {
      "--borg-info-json", fixture("borg-1.2.4/info-archives.json"), "--borg-tz", "UTC"};
  auto dry = from_fixture;
  dry.push_back("--dry-run");
  auto d = run_sync(app, dry);
  REQUIRE(d.exit_code == 0);
  CHECK(d.out.find("jobs would be created: 6") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);

  test::ToolResult a, b;
  std::thread t1([&] { a = run_sync(app, from_fixture); });
  std::thread t2([&] { b = run_sync(app, from_fixture); });
  t1.join();
  t2.join();
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 6);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 6);
}

TEST_CASE("sync: spooled records are written and abandoned runs closed") {
  test::TestCatalog db;
  SampleApp app(db);
  auto down = test::run_tool("om-backup-run",
                             {"--db-socket", app.dir / "no-server.sock", "--db-user", "root",
                              "--repo", app.repo, "--prod-root", app.prod, "--log-dir", app.logs,
                              "--state-dir", app.state, "--include-database", "false"},
                             app.env());
  REQUIRE(down.exit_code == 0);
  db.exec("INSERT INTO backup_jobs (id, kind, status, started_at) VALUES "
          "('0b0b0b0b-0000-4000-8000-000000000001', 'borg', 'running', NOW() - INTERVAL 1 HOUR)");
  db.exec("INSERT INTO backup_job_runs (job_id, host, pid, origin) VALUES "
          "('0b0b0b0b-0000-4000-8000-000000000001', '" +
          util::host_name() + "', 999999, 'run')");
  auto r = run_sync(app, {"--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_int(r.out, "spool_flushed") == 1);
  CHECK(json_int(r.out, "abandoned_closed") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 1);
  CHECK(db.scalar("SELECT LEFT(error, 10) FROM backup_jobs WHERE status = 'failed'") ==
        "abandoned:");
  // The spooled job's archive was already known from its record: sync added nothing for it.
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 1);
}
