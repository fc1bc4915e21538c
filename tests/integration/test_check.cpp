#include "support/catch.hpp"

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <om/util/strings.hpp>

#include "support/offsite.hpp"
#include "support/sample_app.hpp"

using namespace om;
using test::Offsite;
using test::SampleApp;

namespace {

namespace fs = std::filesystem;

// The biggest segment file of a repository: where the archives' data is.
fs::path biggest_segment(const std::string& repo) {
  fs::path biggest;
  std::uintmax_t size = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(repo) / "data")) {
    if (e.is_regular_file() && e.file_size() > size) {
      size = e.file_size();
      biggest = e.path();
    }
  }
  REQUIRE(!biggest.empty());
  return biggest;
}

// Flips one bit of the byte in the middle of the file, as bit rot on a disk would.
void flip_byte(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  const auto middle = static_cast<std::streamoff>(fs::file_size(file) / 2);
  f.seekg(middle);
  char c = 0;
  f.get(c);
  f.seekp(middle);
  f.put(static_cast<char>(c ^ 0x10));
  REQUIRE(f.good());
}

std::string sha256_of(const fs::path& file) {
  return test::shell("sha256sum " + test::q(file.string()) + " | cut -d' ' -f1");
}

// A folder on a block device (/tmp may be a tmpfs, whose reads cannot be slowed), removed at
// the end.
struct DiskDir {
  fs::path path;
  DiskDir() {
    std::string tmpl = "/var/tmp/om-test-disk.XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~DiskDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  DiskDir(const DiskDir&) = delete;
  DiskDir& operator=(const DiskDir&) = delete;
};

// A slow disk for the processes put in it: a cgroup (v1 blkio) whose reads from the disk that
// holds `dir` are limited to `bytes_per_s`. Removed at the end.
struct SlowDisk {
  fs::path cgroup;
  SlowDisk(const fs::path& dir, long bytes_per_s) {
    struct stat st {};
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    // The whole disk, not a partition: blkio limits whole devices.
    auto device = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
    const fs::path sys = "/sys/dev/block/" + device;
    if (fs::exists(sys / "partition"))
      device = util::trim(test::read_text(fs::canonical(sys).parent_path() / "dev"));
    cgroup = "/sys/fs/cgroup/blkio/om-test-" + std::to_string(::getpid()) + "-" +
             dir.filename().string();
    INFO("this test needs the cgroup v1 blkio controller at /sys/fs/cgroup/blkio");
    REQUIRE(fs::create_directory(cgroup));
    std::ofstream(cgroup / "blkio.throttle.read_bps_device")
        << device << " " << bytes_per_s << "\n";
  }
  ~SlowDisk() { ::rmdir(cgroup.c_str()); }
  SlowDisk(const SlowDisk&) = delete;
  SlowDisk& operator=(const SlowDisk&) = delete;
  // A command prefix that runs its arguments in the cgroup.
  [[nodiscard]] std::vector<std::string> prefix() const {
    return {"sh", "-c",
            "echo $$ > " + test::q((cgroup / "cgroup.procs").string()) + " && exec \"$@\"",
            "slow-disk"};
  }
};

// Drops a folder's files from the page cache, so that the next reads come from the disk.
void drop_cached(const fs::path& dir) {
  (void)test::shell("sync && python3 -c " +
                    test::q("import os, sys\n"
                            "for root, _, files in os.walk(sys.argv[1]):\n"
                            "  for f in files:\n"
                            "    fd = os.open(os.path.join(root, f), os.O_RDONLY)\n"
                            "    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)\n"
                            "    os.close(fd)\n") +
                    " " + test::q(dir.string()));
}

} // namespace

TEST_CASE("check: every target verified at every level, recorded, and reported") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  REQUIRE(offsite.run().exit_code == 0);
  REQUIRE(offsite.run().exit_code == 0);

  auto r = offsite.tool("om-backup-check", {"--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("error") == std::string::npos);
  CHECK(r.out.find("\"status\":\"corrupt\"") == std::string::npos);
  // Three levels on each target, the local data read whole, the offsite's by rotation.
  CHECK(db.scalar("SELECT GROUP_CONCAT(target, ' ', level, ' ', status ORDER BY target, level) "
                  "FROM backup_checks") ==
        "local repository success,local archives success,local data success,offsite "
        "repository success,offsite archives success,offsite data success");
  CHECK(db.scalar("SELECT covered FROM backup_checks WHERE target = 'local' AND level = "
                  "'archives'") == "metadata of 2 archives");
  CHECK(db.scalar("SELECT cycle_complete FROM backup_checks WHERE target = 'local' AND level = "
                  "'repository'") == "1");
  // The offsite rotation read both archives (they fit the default 4G) and completed a cycle.
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_check_archives WHERE target = 'offsite'") == "2");
  CHECK(db.scalar("SELECT CONCAT(cycle_share, ' ', cycle_complete) FROM backup_checks WHERE "
                  "target = 'offsite' AND level = 'data'") == "1.0000 1");
  CHECK(std::stoll(db.scalar("SELECT bytes_read FROM backup_checks WHERE target = 'offsite' AND "
                             "level = 'data'")) > 0);
  // One run id for all six rows; no job in the UI's history.
  CHECK(db.scalar("SELECT COUNT(DISTINCT run_id) FROM backup_checks") == "1");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_jobs") == "2");

  // The local --verify-data is not due again for check-data-every: a second run skips it.
  auto again = offsite.tool("om-backup-check", {});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.empty()); // silent under cron
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_checks WHERE target = 'local' AND level = 'data'") ==
        "1");

  auto listing = offsite.report({"checks", "--format", "csv", "--target", "offsite"});
  INFO(listing.err);
  REQUIRE(listing.exit_code == 0);
  CHECK(test::lines_of(listing.out).size() == 1 + 6); // the header, 3 rows of each run
  CHECK(listing.out.starts_with("id,run_id,target,level,status,covered,bytes_read,"));
  auto metrics = offsite.report({"metrics"});
  CHECK(metrics.out.find("om_backup_check_cycle_share{target=\"offsite\",level=\"data\"} 1") !=
        std::string::npos);
  CHECK(metrics.out.find("om_backup_check_damage{target=\"local\",level=\"repository\"} 0") !=
        std::string::npos);
  auto check = offsite.report({"check"});
  INFO(check.out);
  CHECK(check.exit_code == 0);
}

TEST_CASE("check: a flipped byte in a local and in an SSH target's segment is found, named, "
          "recorded, CRITICAL, and not repaired") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  REQUIRE(offsite.run().exit_code == 0);
  const auto local_segment = biggest_segment(app.repo);
  const auto offsite_segment = biggest_segment(app.dir / "offsite-repo");
  flip_byte(local_segment);
  flip_byte(offsite_segment);
  const auto local_damaged = sha256_of(local_segment);
  const auto offsite_damaged = sha256_of(offsite_segment);

  auto r = offsite.tool("om-backup-check", {"--level", "repository"});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  const auto local_name = "segment " + local_segment.filename().string();
  const auto offsite_name = "segment " + offsite_segment.filename().string();
  CHECK(r.err.find("om-backup-check: error: target local: repository check of " + app.repo +
                   " found damage: ") != std::string::npos);
  CHECK(r.err.find(local_name) != std::string::npos);
  CHECK(r.err.find("target offsite: repository check of " + offsite.ssh.url() +
                   " found damage: ") != std::string::npos);
  CHECK(r.err.find(offsite_name) != std::string::npos);
  CHECK(r.err.find("nothing was repaired") != std::string::npos);
  CHECK(db.scalar("SELECT GROUP_CONCAT(target, ' ', status ORDER BY target) FROM backup_checks") ==
        "local corrupt,offsite corrupt");
  CHECK(db.scalar("SELECT error FROM backup_checks WHERE target = 'offsite'").find(offsite_name) !=
        std::string::npos);

  // Nothing was repaired: the damaged segments are as they were.
  CHECK(sha256_of(local_segment) == local_damaged);
  CHECK(sha256_of(offsite_segment) == offsite_damaged);

  auto check = offsite.report({"check"});
  INFO(check.out);
  CHECK(check.exit_code == 2);
  CHECK(check.out.starts_with("OM-BACKUP CRITICAL - "));
  CHECK(check.out.find("target local: repository check of " + app.repo + " found damage") !=
        std::string::npos);
  CHECK(check.out.find("target offsite: repository check") != std::string::npos);
  auto metrics = offsite.report({"metrics"});
  CHECK(metrics.out.find("om_backup_check_damage{target=\"offsite\",level=\"repository\"} 1") !=
        std::string::npos);
}

TEST_CASE("check: the offsite data rotation reads each archive once per cycle, and names a "
          "damaged one") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  // Archives of about one size: a megabyte that does not compress, and a little more each
  // night. The first by om-backup-run, the others by borg on the backup server's side (their
  // sizes are not in the catalog: borg info tells them).
  (void)test::shell("head -c 1048576 /dev/urandom > " + test::q(app.prod + "/uploads/video.bin"));
  auto first = offsite.run();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  for (int i = 1; i < 6; ++i) {
    test::write_text(app.prod + "/uploads/night-" + std::to_string(i) + ".txt",
                     "upload of night " + std::to_string(i) + "\n");
    (void)offsite.borg("create " + offsite.ssh.url() + "::night-" + std::to_string(i) + " " +
                       test::q(app.prod));
  }
  // Two archives fit the budget, a third does not.
  const std::string budget = "2500K";
  auto rotate = [&] {
    return offsite.tool("om-backup-check", {"--target", "offsite", "--level", "data",
                                            "--check-bytes-per-run", budget, "--json"});
  };
  const std::vector<std::string> shares{"33%", "67%", "100%"};
  for (int run = 1; run <= 3; ++run) {
    auto r = rotate();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto covered = db.scalar("SELECT covered FROM backup_checks ORDER BY id DESC LIMIT 1");
    INFO(covered);
    CHECK(covered.find(shares.at(run - 1) + " of 6 archives read this cycle") != std::string::npos);
    CHECK(db.scalar("SELECT COUNT(*) FROM backup_check_archives") == std::to_string(run * 2));
    CHECK(db.scalar("SELECT cycle_complete FROM backup_checks ORDER BY id DESC LIMIT 1") ==
          (run == 3 ? "1" : "0"));
  }
  // Each archive read once in the cycle: the three runs read six different ones.
  CHECK(db.scalar("SELECT COUNT(DISTINCT archive_name) FROM backup_check_archives") == "6");
  CHECK(db.scalar("SELECT COUNT(DISTINCT cycle_started_at) FROM backup_checks") == "1");
  auto metrics = offsite.report({"metrics"});
  CHECK(metrics.out.find("om_backup_check_cycle_share{target=\"offsite\",level=\"data\"} 1") !=
        std::string::npos);

  // A new cycle begins with the oldest archives; one of them is damaged on the backup server.
  const auto oldest = db.scalar("SELECT archive_name FROM backup_job_targets WHERE target = "
                                "'offsite'");
  flip_byte(biggest_segment(app.dir / "offsite-repo"));
  auto damaged = rotate();
  INFO(damaged.err);
  CHECK(damaged.exit_code == 2);
  CHECK(damaged.err.find("target offsite: data check of " + offsite.ssh.url() +
                         " found damage: archive " + oldest + ": ") != std::string::npos);
  CHECK(db.scalar("SELECT status FROM backup_checks ORDER BY id DESC LIMIT 1") == "corrupt");
  CHECK(db.scalar("SELECT COUNT(DISTINCT cycle_started_at) FROM backup_checks") == "2");
  CHECK(offsite.report({"check"}).exit_code == 2);
}

TEST_CASE("check: settings from a config file, per target, and bad ones refused naming them") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app, "prune = no\ncheck-bytes-per-run = lots\n");
  REQUIRE(offsite.run().exit_code == 0);
  auto bad = offsite.tool("om-backup-check", {});
  CHECK(bad.exit_code == 78);
  CHECK(bad.err == "om-backup-check: error: target offsite: check-bytes-per-run = lots: not a "
                   "size (like 500M, 4G)\n");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_checks") == "0");

  auto text = test::read_text(offsite.config);
  text.replace(text.find("check-bytes-per-run = lots"), 26, "check-budget = 2h");
  test::write_text(offsite.config, "check-schedule = 0 5 * * *\ncheck-budget = 1x\n" + text);
  auto budget = offsite.tool("om-backup-check", {});
  CHECK(budget.exit_code == 78);
  CHECK(budget.err == "om-backup-check: error: check-budget = 1x: not a duration (like 45m, 2h, "
                      "30d; 0 for no limit)\n");
  text = test::read_text(offsite.config);
  text.replace(text.find("check-budget = 1x"), 17, "check-budget = 30m");
  test::write_text(offsite.config, text);
  // Due at 05:00 every day: the first --if-due run checks, the next one in the same minute not.
  auto due = offsite.tool("om-backup-check", {"--if-due", "--level", "archives"});
  INFO(due.err);
  CHECK(due.exit_code == 0);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_checks") == "2");
  auto not_due = offsite.tool("om-backup-check", {"--if-due", "--level", "archives"});
  CHECK(not_due.exit_code == 0);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_checks") == "2");
  auto level = offsite.tool("om-backup-check", {"--level", "segments"});
  CHECK(level.exit_code == 64);
}

TEST_CASE("check: a budget that covers a quarter of the repository completes a cycle in four or "
          "five runs") {
  test::TestCatalog db;
  SampleApp app(db);
  DiskDir disk;
  const auto repo = (disk.path / "repo").string();
  const auto env = app.env();
  auto borg = [&](const std::string& args) {
    return test::shell("BORG_PASSPHRASE=" + test::q(app.passphrase) +
                       " BORG_BASE_DIR=" + test::q(env.at("BORG_BASE_DIR")) + " borg " + args);
  };
  (void)borg("init --encryption repokey " + test::q(repo));
  (void)borg("config " + test::q(repo) + " max_segment_size 4194304");
  (void)test::shell("head -c 200000000 /dev/urandom > " + test::q(app.dir / "big.bin"));
  (void)borg("create --compression none " + test::q(repo + "::big") + " " +
             test::q(app.dir / "big.bin"));
  drop_cached(repo);
  // Reads at 20 MB/s: the whole repository takes about ten seconds to check.
  SlowDisk slow(repo, 20L * 1000 * 1000);
  auto args = db.tool_args();
  args.insert(args.end(), {"--repo", repo, "--state-dir", app.state, "--log-dir", app.logs,
                           "--level", "repository", "--check-budget", "4s", "--json"});
  std::vector<double> shares;
  for (int run = 1; run <= 8; ++run) {
    auto r = test::run_tool_via(slow.prefix(), "om-backup-check", args, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    shares.push_back(std::stod(db.scalar("SELECT cycle_share FROM backup_checks ORDER BY id "
                                         "DESC LIMIT 1")));
    if (db.scalar("SELECT cycle_complete FROM backup_checks ORDER BY id DESC LIMIT 1") == "1")
      break;
  }
  INFO("cycle share after each run: " << util::join(
           [&] {
             std::vector<std::string> t;
             for (auto s : shares)
               t.push_back(std::to_string(s));
             return t;
           }(),
           ", "));
  CHECK(shares.size() >= 4);
  CHECK(shares.size() <= 5);
  CHECK(shares.back() == 1.0);
  // Each run went on where the previous stopped, in one cycle.
  CHECK(std::ranges::is_sorted(shares));
  CHECK(db.scalar("SELECT COUNT(DISTINCT cycle_started_at) FROM backup_checks") == "1");
  CHECK(db.scalar("SELECT SUBSTRING_INDEX(covered, ' ', 2) FROM backup_checks ORDER BY id LIMIT "
                  "1") == "segments 0");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_checks WHERE covered LIKE 'segments 0 %'") == "1");
  auto metrics = test::run_tool("om-backup-report", [&] {
    auto a = db.tool_args();
    a.emplace_back("metrics");
    return a;
  }());
  CHECK(metrics.out.find("om_backup_check_cycle_share{target=\"local\",level=\"repository\"} "
                         "1.000000") != std::string::npos);
}

TEST_CASE("check: an archive deleted on the SSH target is an integrity event until acknowledged "
          "- one om-backup pruned raises nothing") {
  test::TestCatalog db;
  SampleApp app(db);
  // A full-access key on the backup server, as someone with the server's root would use.
  Offsite offsite(app, "prune = yes\n", false);
  for (int i = 0; i < 3; ++i) {
    auto r = offsite.run();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const auto names = test::lines_of(
      db.scalar("SELECT GROUP_CONCAT(archive_name ORDER BY started_at SEPARATOR '\\n') FROM "
                "backup_job_targets WHERE target = 'offsite'"));
  REQUIRE(names.size() == 3);
  // The newest: the retention keeps it whatever else there is (three archives in one hour keep
  // only the newest of them).
  (void)offsite.borg("delete " + offsite.ssh.url() + "::" + names[2]);

  auto sync = offsite.tool("om-backup-sync", {});
  INFO(sync.err);
  CHECK(sync.exit_code == 2);
  CHECK(sync.err.find("om-backup-sync: error: archive " + names[2] +
                      " vanished from target offsite (event 1): not pruned by om-backup") !=
        std::string::npos);
  // History is kept: the artifact row stays, and the event marks it missing.
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_artifacts WHERE file_path = '" + offsite.ssh.url() +
                  "::" + names[2] + "'") == "1");
  CHECK(db.scalar("SELECT CONCAT(kind, ' ', target, ' ', archive_name, ' ', job_id IS NOT NULL) "
                  "FROM backup_integrity_events") == "vanished offsite " + names[2] + " 1");
  // The check finds it too, and monitoring is CRITICAL.
  auto check = offsite.tool("om-backup-check", {"--level", "archives"});
  CHECK(check.exit_code == 2);
  CHECK(check.err.find("archive " + names[2] + " vanished from target offsite") !=
        std::string::npos);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_integrity_events") == "1"); // once
  auto critical = offsite.report({"check"});
  INFO(critical.out);
  CHECK(critical.exit_code == 2);
  CHECK(critical.out.find("event 1: archive " + names[2] + " vanished from target offsite") !=
        std::string::npos);

  // Acknowledged, with who and why: the tools and monitoring are content again.
  auto no_why = offsite.tool("om-backup-check", {"--ack", "1"});
  CHECK(no_why.exit_code == 64);
  auto ack =
      offsite.tool("om-backup-check", {"--ack", "1", "--why", "deleted by hand to free space",
                                       "--requested-by", "alice"});
  INFO(ack.err);
  CHECK(ack.exit_code == 0);
  CHECK(db.scalar("SELECT CONCAT(acknowledged_by, ': ', acknowledged_why) FROM "
                  "backup_integrity_events") == "alice: deleted by hand to free space");
  CHECK(offsite.tool("om-backup-check", {"--ack", "1", "--why", "again"}).exit_code == 64);
  CHECK(offsite.tool("om-backup-sync", {}).exit_code == 0);
  auto ok = offsite.report({"check", "--max-verify-age", "0"});
  INFO(ok.out);
  CHECK(ok.exit_code == 0);

  // What om-backup's own prune deleted raises nothing: of three archives in one hour, the prune
  // step of the third run kept the newest and the oldest (borg's rules), not the middle one.
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_prune_events WHERE target LIKE '%::" + names[1] +
                  "'") == "2");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_integrity_events WHERE archive_name = '" + names[1] +
                  "'") == "0");
  // Nor does om-backup-prune's: the local repository keeps its newest only.
  auto prune =
      offsite.tool("om-backup-prune", {"--keep-hourly", "0", "--keep-daily", "1", "--keep-weekly",
                                       "0", "--keep-monthly", "0", "--list"});
  INFO(prune.out << prune.err);
  REQUIRE(prune.exit_code == 0);
  CHECK(test::lines_of(app.borg({"list", "--short", app.repo})) ==
        std::vector<std::string>{names[2]});
  auto after = offsite.tool("om-backup-sync", {});
  INFO(after.err);
  CHECK(after.exit_code == 0);
  CHECK(offsite.tool("om-backup-check", {"--level", "archives"}).exit_code == 0);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_integrity_events") == "1");
}
