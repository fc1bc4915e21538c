#include "support/catch.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include <simdjson.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/catalog_proxy.hpp"
#include "support/follow_events.hpp"
#include "support/held_run.hpp"

using namespace om;
using test::events_of;
using test::eventually;
using test::follow_into;
using test::has;
using test::report_args;
using test::SampleApp;

namespace {

std::string node_path() {
  const char* p = std::getenv("OM_TEST_NODE_PATH");
  if (p == nullptr || *p == '\0')
    FAIL("OM_TEST_NODE_PATH is not set: run the tests through scripts/test (it installs mysql2)");
  return p;
}

} // namespace

TEST_CASE("progress: a Node client polling backup_job_progress sees a 2 GB backup grow, change "
          "phase and end") {
  test::TestCatalog db;
  SampleApp app(db);
  // 2 GB of random bytes in eight files: borg reads it for a while, and reports as it goes.
  (void)test::shell("mkdir -p '" + app.prod + "/data' && cd '" + app.prod +
                    "/data' && for i in 1 2 3 4 5 6 7 8; do head -c 256M /dev/urandom > "
                    "random-$i.bin; done");
  const std::string poller = std::string(OM_SOURCE_DIR) + "/tests/support/progress_poller.js";
  const auto client_command = "NODE_PATH='" + node_path() + "' node '" + poller + "' '" +
                              test::test_db_socket() + "' '" + db.name() + "' 600";
  std::string polled;
  std::thread client([&] { polled = test::shell(client_command); });
  auto r = app.run();
  client.join();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  simdjson::dom::parser parser;
  simdjson::dom::object seen = parser.parse(polled);
  CHECK(std::string_view(seen["job_id"].get_string()) == db.scalar("SELECT id FROM backup_jobs"));
  std::vector<std::int64_t> bytes;
  std::set<std::string> phases;
  std::string last_status;
  std::string last_phase;
  double last_percent = -1;
  for (simdjson::dom::object s : seen["seen"].get_array()) {
    bytes.push_back(s["bytes_processed"].get_int64());
    last_status = std::string(std::string_view(s["status"].get_string()));
    last_phase = std::string(std::string_view(s["phase"].get_string()));
    phases.insert(last_phase);
    last_percent = s["percent"].is_null() ? -1.0 : double(s["percent"].get_double());
  }
  INFO(polled);
  CHECK(std::ranges::is_sorted(bytes)); // never decreasing
  CHECK(std::set<std::int64_t>(bytes.begin(), bytes.end()).size() >= 3);
  CHECK(phases.size() >= 2);
  CHECK(phases.contains("create"));
  CHECK(last_status == "success");
  CHECK(last_phase == "done");
  CHECK(last_percent == 100.0);
  CHECK(bytes.back() >= std::int64_t{2} * 1024 * 1024 * 1024);
  // The row's end agrees with the job the UI lists.
  CHECK(db.scalar("SELECT CONCAT_WS('|', p.status, p.files > 8, j.status) FROM "
                  "backup_job_progress p JOIN backup_jobs j ON j.id = p.job_id") ==
        "success|1|success");
}

TEST_CASE("progress: follow prints a running job's phases, progress and log as JSON lines and "
          "exits with its status") {
  test::TestCatalog db;
  SampleApp app(db);

  SECTION("a running job, followed to its end") {
    test::ToolResult run;
    auto runner = test::start_held_run(app, run);
    const std::string file = app.dir / "follow.jsonl";
    test::ToolResult followed;
    std::thread follower([&] { followed = follow_into(app, file, {}); });
    // It has seen the job held in its dump before the job goes on.
    const bool saw_dump = eventually([&] {
      return util::read_file(file).value_or("").find("\"phase\":\"dump\"") != std::string::npos;
    });
    test::write_text(app.dir / "go", "");
    runner.join();
    follower.join();
    REQUIRE(saw_dump);
    INFO(run.err);
    INFO(followed.err);
    REQUIRE(run.exit_code == 0);
    CHECK(followed.exit_code == run.exit_code);
    auto events = events_of(followed.out, app.dir.path());
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().type == "end");
    CHECK(events.back().status == "success");
    CHECK(events.back().exit_code == 0);
    CHECK(has(events, "phase", "dump"));
    CHECK(has(events, "phase", "done"));
    CHECK(has(events, "progress", ""));
    CHECK(std::ranges::any_of(events, [](const test::FollowEvent& e) {
      return e.type == "log" && e.line.find("backup finished") != std::string::npos;
    }));
    CHECK(followed.out.find(app.passphrase) == std::string::npos);

    // Followed again once it has ended: its end state at once, no log.
    auto again = test::run_tool(
        "om-backup-report", report_args(app, {"follow", db.scalar("SELECT id FROM backup_jobs")}),
        app.env());
    CHECK(again.exit_code == 0);
    auto ended = events_of(again.out, app.dir.path());
    REQUIRE(ended.size() == 3);
    CHECK(ended[0].type == "phase");
    CHECK(ended[1].type == "progress");
    CHECK(ended[2].type == "end");
    CHECK(ended[2].status == "success");
  }

  SECTION("a failed job's exit code, --wait for the next job, and no job at all") {
    auto none = test::run_tool("om-backup-report", report_args(app, {"follow"}), app.env());
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("no job is running") != std::string::npos);
    CHECK(none.out.empty());

    const std::string file = app.dir / "follow.jsonl";
    test::ToolResult followed;
    std::thread follower([&] { followed = follow_into(app, file, {"--wait"}); });
    // A job that fails: its dump, held until the follower has found the job, then fails.
    auto dump = app.write_script("failing-dump.sh", "echo $$ > " + app.dir / "dump.pid" +
                                                        "\nwhile [ ! -e " + app.dir / "go" +
                                                        " ]; do sleep 0.1; done\n"
                                                        "echo 'mysqldump: Got error: 2013' >&2\n"
                                                        "exit 2");
    test::ToolResult failed;
    std::thread runner([&] { failed = app.run({"--mysqldump", dump}); });
    const bool found = eventually([&] {
      return util::read_file(file).value_or("").find("\"phase\":\"dump\"") != std::string::npos;
    });
    test::write_text(app.dir / "go", "");
    runner.join();
    follower.join();
    REQUIRE(found);
    CHECK(failed.exit_code == 2);
    INFO(followed.err);
    CHECK(followed.exit_code == 2);
    auto events = events_of(followed.out, app.dir.path());
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().type == "end");
    CHECK(events.back().status == "failed");
    CHECK(events.back().exit_code == 2);
  }
}

TEST_CASE("progress: a catalog outage during the backup stops the updates - the backup succeeds "
          "and is spooled") {
  test::TestCatalog db;
  SampleApp app(db);
  test::CatalogProxy proxy(app.dir.path(), test::test_db_socket());
  // The catalog goes through the proxy; the application's database (dumped) does not.
  const std::string app_db = app.dir / "app-db.cnf";
  test::write_text(app_db, "[client]\nsocket=" + test::test_db_socket() + "\nuser=root\n");
  std::vector<std::string> args = {"--db-socket",
                                   proxy.socket(),
                                   "--db-user",
                                   "root",
                                   "--db-name",
                                   db.name(),
                                   "--app-db",
                                   db.name(),
                                   "--app-db-defaults-file",
                                   app_db,
                                   "--repo",
                                   app.repo,
                                   "--prod-root",
                                   app.prod,
                                   "--log-dir",
                                   app.logs,
                                   "--state-dir",
                                   app.state,
                                   "--mysqldump",
                                   test::slow_dump(app)};
  test::ToolResult run;
  std::thread runner([&] { run = test::run_tool("om-backup-run", args, app.env()); });
  // Held in its dump, its progress row written through the proxy.
  const bool held = eventually([&] {
    return util::read_file(app.dir / "dump.pid").value_or("").ends_with("\n") &&
           db.count("SELECT COUNT(*) FROM backup_job_progress WHERE phase = 'dump'") == 1;
  });
  proxy.cut(); // the catalog is gone for the run, mid-backup
  const auto updated = db.scalar("SELECT updated_at FROM backup_job_progress");
  test::write_text(app.dir / "go", "");
  runner.join();
  REQUIRE(held);
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("spooled") != std::string::npos);
  // The updates stopped where the catalog went; the row was never ended by the run.
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, phase, updated_at) FROM backup_job_progress") ==
        "running|dump|" + updated);
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "running");
  auto log = test::read_text(db.scalar("SELECT log_path FROM backup_job_runs"));
  CHECK(log.find("progress updates paused") != std::string::npos);
  CHECK(log.find("backup finished") != std::string::npos);

  // The next run writes the spooled record, and with it the row's end and what it changed
  // (the first backup: everything added); the next backup is compared with the spooled one's
  // archive.
  const auto spooled = db.scalar("SELECT id FROM backup_jobs");
  test::write_text(app.prod + "/uploads/after-the-outage.txt", "new");
  auto next = app.run({"--include-database", "false"});
  INFO(next.err);
  REQUIRE(next.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_job_progress WHERE status = 'success' AND "
                 "phase = 'done'") == 2);
  CHECK(db.scalar("SELECT CONCAT_WS('|', target, basis, added_files > 0, removed_files) FROM "
                  "backup_job_changes WHERE job_id = '" +
                  spooled + "'") == "local|first|1|0");
  CHECK(db.scalar("SELECT CONCAT_WS('|', c.basis, c.previous_archive = t.archive_name) FROM "
                  "backup_job_changes c JOIN backup_job_targets t ON t.job_id = '" +
                  spooled + "' WHERE c.job_id <> '" + spooled + "'") == "diff|1");
}
