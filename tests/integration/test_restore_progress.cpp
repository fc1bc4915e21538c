#include "support/catch.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <set>
#include <thread>

#include <om/db/catalog.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

#include "support/follow_events.hpp"
#include "support/held_run.hpp"

using namespace om;
using test::SampleApp;
namespace fs = std::filesystem;

namespace {

// One look at a restore's row, as the UI would take it.
struct Look {
  std::string status;
  std::string phase;
  std::int64_t bytes = 0;
  std::optional<std::int64_t> total;
  std::optional<double> percent;
};

// Reads restore `id`'s row every 100 ms on a connection of its own until it has ended.
class RowWatcher {
public:
  RowWatcher(test::TestCatalog& db, std::string id) : m_id(std::move(id)) {
    db::ConnectionOptions where;
    where.socket = test::test_db_socket();
    where.user = "root";
    where.database = db.name();
    m_thread = std::thread([this, where] { watch(where); });
  }
  ~RowWatcher() {
    m_stop = true;
    if (m_thread.joinable())
      m_thread.join();
  }
  RowWatcher(const RowWatcher&) = delete;
  RowWatcher& operator=(const RowWatcher&) = delete;

  std::vector<Look> looks() {
    m_stop = true;
    if (m_thread.joinable())
      m_thread.join();
    return m_looks;
  }

private:
  void watch(const db::ConnectionOptions& where) {
    auto catalog = db::Catalog::connect(where);
    if (!catalog)
      return;
    for (int i = 0; i < 3000 && !m_stop; ++i) {
      auto row = catalog->query_one("SELECT status, phase, bytes_processed, bytes_total, percent "
                                    "FROM backup_restores WHERE id = ?",
                                    {m_id});
      if (row && *row) {
        const auto& r = **row;
        m_looks.push_back({r.text(0), r.text(1), r.integer(2), r.opt_integer(3),
                           r.is_null(4) ? std::nullopt : std::optional(std::stod(r.text(4)))});
        if (r.text(0) != "running")
          return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::string m_id;
  std::atomic<bool> m_stop = false;
  std::vector<Look> m_looks;
  std::thread m_thread;
};

// The pid of the om-backup-restore whose command line holds `needle`; 0 when there is none.
pid_t restore_pid(const std::string& needle) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    auto cmdline = util::read_file(entry.path() / "cmdline").value_or("");
    if (cmdline.find("om-backup-restore") != std::string::npos &&
        cmdline.find(needle) != std::string::npos)
      return static_cast<pid_t>(std::stoi(name));
  }
  return 0;
}

} // namespace

TEST_CASE("restore progress: a restore's row in backup_restores grows while it runs and ends "
          "with its result - follow prints it and exits with its status") {
  test::TestCatalog db;
  SampleApp app(db);
  // 1 GiB of random bytes: borg extracts it for several seconds, reporting as it goes.
  (void)test::shell("mkdir -p '" + app.prod + "/data' && cd '" + app.prod +
                    "/data' && for i in 1 2 3 4; do head -c 256M /dev/urandom > "
                    "random-$i.bin; done");
  REQUIRE(app.run().exit_code == 0);
  const auto job = db.scalar("SELECT id FROM backup_jobs");
  const auto id = util::uuid_v4();
  const std::string to = app.dir / "restored";

  RowWatcher watcher(db, id);
  const std::string file = app.dir / "follow.jsonl";
  test::ToolResult followed;
  // Started before the restore, as the UI would: --wait waits for the id to appear.
  std::thread follower([&] { followed = test::follow_into(app, file, {id, "--wait"}); });
  auto r = app.restore({"files", "--from", job, "--to", to, "--restore-id", id, "--requested-by",
                        "admin via the UI"});
  follower.join();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::file_size(to + "/prod/data/random-4.bin") == 256U * 1024 * 1024);

  // While it ran: bytes that grew and never went back, a total, a percent below 100.
  auto looks = watcher.looks();
  REQUIRE_FALSE(looks.empty());
  std::vector<std::int64_t> running;
  for (const auto& l : looks) {
    if (l.status != "running")
      continue;
    running.push_back(l.bytes);
    CHECK(l.phase == "files");
    if (l.percent)
      CHECK(*l.percent < 100.0);
  }
  INFO("byte counts seen while running: " << util::join(
           [&] {
             std::vector<std::string> v;
             for (auto b : running)
               v.push_back(std::to_string(b));
             return v;
           }(),
           " "));
  CHECK(std::ranges::is_sorted(running));
  CHECK(std::set<std::int64_t>(running.begin(), running.end()).size() >= 2);
  CHECK(std::ranges::any_of(looks, [](const Look& l) {
    return l.status == "running" && l.total && *l.total >= std::int64_t{1} << 30 && l.percent &&
           *l.percent > 0.0;
  }));

  // Its end, and what it was.
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, phase, percent, bytes_processed = bytes_total, "
                  "what, source_job_id, requested_by, destination, host <> '', error IS NULL, "
                  "finished_at IS NOT NULL, duration_ms > 0) FROM "
                  "backup_restores WHERE id = '" +
                  id + "'") ==
        "success|done|100.0|1|files|" + job + "|admin via the UI|" + to + "|1|1|1|1");
  const auto log_path = db.scalar("SELECT log_path FROM backup_restores WHERE id = '" + id + "'");
  CHECK(util::read_file(log_path).value_or("").find("restore finished") != std::string::npos);

  // follow: JSON lines ending with the restore's end.
  INFO(followed.err);
  CHECK(followed.exit_code == 0);
  auto events = test::events_of(followed.out, app.dir.path());
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().type == "end");
  CHECK(events.back().status == "success");
  CHECK(test::has(events, "progress", ""));
  CHECK(test::has(events, "phase", "done"));
  CHECK(followed.out.find(app.passphrase) == std::string::npos);
  // Followed again once it has ended: its end at once.
  auto again =
      test::run_tool("om-backup-report", test::report_args(app, {"follow", id}), app.env());
  CHECK(again.exit_code == 0);
  auto ended = test::events_of(again.out, app.dir.path());
  REQUIRE_FALSE(ended.empty());
  CHECK(ended.back().type == "end");
  CHECK(ended.back().status == "success");

  // Stopped by SIGTERM while it extracts: exit 130, the row ends cancelled.
  const auto stopped_id = util::uuid_v4();
  std::thread stopper([&] {
    if (test::eventually([&] {
          return db.count("SELECT COUNT(*) FROM backup_restores WHERE id = '" + stopped_id +
                          "' AND bytes_processed > 0") == 1;
        }))
      ::kill(restore_pid(stopped_id), SIGTERM);
  });
  auto stopped = app.restore(
      {"files", "--from", job, "--to", app.dir / "stopped", "--restore-id", stopped_id});
  stopper.join();
  INFO(stopped.err);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.err.find("interrupted by Terminated") != std::string::npos);
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, phase, percent < 100, finished_at IS NOT NULL) "
                  "FROM backup_restores WHERE id = '" +
                  stopped_id + "'") == "cancelled|done|1|1");
}

TEST_CASE("restore progress: a failed restore is recorded with its error - a taken id is "
          "refused - without a catalog a restore works and is not recorded") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  const auto job = db.scalar("SELECT id FROM backup_jobs");
  const auto id = util::uuid_v4();

  // The catalog's own database has tables: loading into it without --force fails.
  auto refused = app.restore({"db", "--from", job, "--database", db.name(), "--restore-id", id});
  INFO(refused.err);
  CHECK(refused.exit_code == 64);
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, phase, what, error LIKE '%tables%', "
                  "finished_at IS NOT NULL) FROM backup_restores WHERE id = '" +
                  id + "'") == "failed|done|db|1|1");
  auto followed =
      test::run_tool("om-backup-report", test::report_args(app, {"follow", id}), app.env());
  CHECK(followed.exit_code == 2);
  auto events = test::events_of(followed.out, app.dir.path());
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().status == "failed");

  // report restores lists it, with its status and reason.
  auto listed = test::run_tool("om-backup-report",
                               test::report_args(app, {"restores", "--format", "csv"}), app.env());
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find(id + ",db,failed,") != std::string::npos);
  CHECK(listed.out.find("tables") != std::string::npos);
  auto none = test::run_tool("om-backup-report",
                             test::report_args(app, {"restores", "--status", "success", "--json"}),
                             app.env());
  CHECK(none.exit_code == 0);
  CHECK(none.out.find(id) == std::string::npos);

  // The same id again: refused before anything is written.
  const std::string to = app.dir / "restored";
  auto taken = app.restore({"files", "--from", job, "--to", to, "--restore-id", id});
  CHECK(taken.exit_code == 64);
  CHECK(taken.err.find("restore id " + id + " is taken") != std::string::npos);
  CHECK_FALSE(fs::exists(to));
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_restores") == "1");

  // A db restore that names no place for the dump is a usage error, not a restore to record.
  auto nowhere = app.restore({"db", "--from", job, "--restore-id", util::uuid_v4()});
  CHECK(nowhere.exit_code == 64);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_restores") == "1");

  // An id nobody has used: follow says so at once (exit 2) without --wait.
  auto unknown = test::run_tool("om-backup-report",
                                test::report_args(app, {"follow", util::uuid_v4()}), app.env());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no job or restore") != std::string::npos);

  // Not a UUID: a usage error.
  auto odd = app.restore({"files", "--from", job, "--to", to, "--restore-id", "my-restore"});
  CHECK(odd.exit_code == 64);
  CHECK(odd.err.find("not a UUID") != std::string::npos);

  // The server is lost, its catalog with it: the restore from the repository still works.
  const auto archive = db.scalar("SELECT archive_name FROM backup_job_targets");
  auto lost = test::run_tool("om-backup-restore",
                             {"--db-socket=" + (app.dir / "no-catalog.sock"), "--db-user=root",
                              "--db-name=gone", "--repo", app.repo, "--prod-root", app.prod,
                              "--log-dir", app.logs, "--state-dir", app.state, "files", "--from",
                              app.repo + "::" + archive, "--to", to},
                             app.env());
  INFO(lost.err);
  CHECK(lost.exit_code == 0);
  CHECK(fs::exists(to + "/prod"));
  CHECK(lost.err.find("is not recorded in the catalog") != std::string::npos);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_restores") == "1");
}
