// Hardening of om-backup-run against its neighbours: a read-only repository, a second run for
// the same queued job, children that could abuse what they inherit, a lock file pointed at
// someone else's file, two runs in one second.
#include "support/catch.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <date/tz.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

#include "support/held_run.hpp"

using namespace om;
using test::SampleApp;
namespace fs = std::filesystem;

namespace {

// A read-only bind mount of a folder onto itself, undone when the test ends.
class ReadOnly {
public:
  explicit ReadOnly(std::string path) : m_path(std::move(path)) {
    REQUIRE(::mount(m_path.c_str(), m_path.c_str(), nullptr, MS_BIND, nullptr) == 0);
    REQUIRE(::mount(nullptr, m_path.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) ==
            0);
  }
  ~ReadOnly() { ::umount2(m_path.c_str(), MNT_DETACH); }
  ReadOnly(const ReadOnly&) = delete;
  ReadOnly& operator=(const ReadOnly&) = delete;

private:
  std::string m_path;
};

std::string read_link(const std::string& path) {
  std::error_code ec;
  return fs::read_symlink(path, ec).string();
}

} // namespace

TEST_CASE(
    "hardening: a read-only repository is a failure with borg's reason (2), not a busy lock (75)") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  ReadOnly frozen(app.repo);
  auto r = app.run();
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("Read-only file system") != std::string::npos);
  CHECK(db.scalar(
            "SELECT CONCAT(status, ': ', error LIKE '%Read-only file system%') FROM backup_jobs "
            "ORDER BY created_at DESC, started_at DESC LIMIT 1") == "failed: 1");
}

TEST_CASE("hardening: a run in the same second as an earlier archive never collides with it") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run({"--include-database", "no"}).exit_code == 0);
  // Archives named as a run of a few seconds to come would have been by second alone (the
  // old default, and what a rerun right after a killed run met): this run starts among them.
  // The seconds lie far enough ahead for a slow machine to make them all first.
  const auto first = util::now_unix() + 20;
  for (int ahead = 0; ahead < 5; ++ahead)
    (void)app.borg({"create",
                    app.repo + "::om-" + util::host_name() + "-" +
                        util::format_time(first + ahead, date::current_zone(), "%Y-%m-%dT%H:%M:%S"),
                    app.prod + "/server"});
  REQUIRE(util::now_unix() < first);
  std::this_thread::sleep_until(std::chrono::system_clock::from_time_t(first + 1));
  auto r = app.run({"--include-database", "no"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("already exists") == std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 2);
  CHECK(db.count("SELECT COUNT(DISTINCT archive_name) FROM backup_job_runs") == 2);
}

TEST_CASE("hardening: a hook inherits no descriptor of ours: no catalog socket, no log, no lock") {
  test::TestCatalog db;
  SampleApp app(db);
  auto hook = app.write_script("hook.sh", "for fd in /proc/$$/fd/*; do readlink \"$fd\"; done > " +
                                              app.dir / "fds.txt");
  auto r = app.run({"--on-success", hook, "--include-database", "no"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto fds = test::read_text(app.dir / "fds.txt");
  INFO(fds);
  // stdin, the pipes we read its output from, the script the shell reads, the file it writes:
  // never the catalog's socket, the run's log, the lock or anything else of ours.
  for (auto fd : util::split(util::trim(fds), '\n')) {
    INFO(fd);
    CHECK(
        (fd == "/dev/null" || fd.starts_with("pipe:") || fd == hook || fd == app.dir / "fds.txt"));
  }
}

TEST_CASE("hardening: mysqldump's password never touches a disk, even when the run is killed") {
  test::TestCatalog db;
  SampleApp app(db);
  const auto tmp = app.dir / "tmp";
  fs::create_directories(tmp);
  ::setenv("TMPDIR", tmp.c_str(), 1);
  test::ToolResult killed;
  auto runner = test::start_held_run(app, killed);
  const auto dump_pid = util::first_line(test::read_text(app.dir / "dump.pid"));
  std::ifstream cmdline_file("/proc/" + dump_pid + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)),
                      std::istreambuf_iterator<char>());
  CHECK(cmdline.find(std::string("--defaults-file=/dev/fd/3")) != std::string::npos);
  CHECK(read_link("/proc/" + dump_pid + "/fd/3").starts_with("/memfd:"));

  ::kill(static_cast<pid_t>(db.count("SELECT pid FROM backup_job_runs")), SIGKILL);
  runner.join();
  ::kill(-std::stoi(dump_pid), SIGKILL);
  test::write_text(app.dir / "go", "");
  ::unsetenv("TMPDIR");
  CHECK(killed.term_signal == SIGKILL);
  // borg, orphaned, may use the folder for its own files: none of ours is there.
  for (const auto& entry : fs::directory_iterator(tmp)) {
    INFO(entry.path());
    CHECK_FALSE(entry.path().filename().string().starts_with("om-backup"));
  }
}

TEST_CASE(
    "hardening: two runs started at once for one queued job: one adopts it, the other exits 75") {
  test::TestCatalog db;
  SampleApp app(db);
  for (int round = 0; round < 3; ++round) {
    const std::string id = "0a1b2c3d-0000-4000-8000-00000000000" + std::to_string(round);
    db.exec("INSERT INTO backup_jobs (id, kind, status, requested_by) VALUES ('" + id +
            "', 'borg', 'queued', 'admin')");
    test::ToolResult a;
    test::ToolResult b;
    std::thread first([&] { a = app.run({"--job-id", id, "--include-database", "no"}); });
    std::thread second([&] { b = app.run({"--job-id", id, "--include-database", "no"}); });
    first.join();
    second.join();
    INFO("round " << round << "\n" << a.err << "\n" << b.err);
    CHECK(std::min(a.exit_code, b.exit_code) == 0);
    CHECK(std::max(a.exit_code, b.exit_code) == 75);
    CHECK((a.exit_code == 75 ? a.err : b.err).find("another run has already started it") !=
          std::string::npos);
    CHECK(db.scalar("SELECT status FROM backup_jobs WHERE id = '" + id + "'") == "success");
    CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE job_id = '" + id + "'") == 1);
  }
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 3);
}

TEST_CASE(
    "hardening: the lock file is never followed to another file, nor kept in a shared folder") {
  test::TestCatalog db;
  SampleApp app(db);
  fs::create_directories(app.state);
  ::chmod(app.state.c_str(), 0750);
  test::write_text(app.dir / "victim.conf", "precious\n");
  fs::create_symlink(app.dir / "victim.conf", app.state + "/.lock");
  auto r = app.run();
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("lock file " + app.state + "/.lock is a symbolic link") != std::string::npos);
  CHECK(test::read_text(app.dir / "victim.conf") == "precious\n");

  fs::remove(app.state + "/.lock");
  ::link((app.dir / "victim.conf").c_str(), (app.state + "/.lock").c_str());
  auto hard = app.run();
  CHECK(hard.exit_code == 2);
  CHECK(hard.err.find("is not a plain file of its own") != std::string::npos);
  CHECK(test::read_text(app.dir / "victim.conf") == "precious\n");

  fs::remove(app.state + "/.lock");
  ::chmod(app.state.c_str(), 0777);
  auto shared = app.run();
  CHECK(shared.exit_code == 2);
  CHECK(shared.err.find("is writable by others (mode 0777)") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);
}
