#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <set>
#include <thread>

#include <om/util/strings.hpp>

#include "support/cloud.hpp"
#include "support/held_run.hpp"
#include "support/sample_app.hpp"

using namespace om;
using test::Cloud;
using test::SampleApp;

namespace {

namespace fs = std::filesystem;

// A sample app whose repository is copied to a real sftp server and a real WebDAV server.
struct CopyBed {
  explicit CopyBed(bool dav_read_only = false) : app(db), cloud(app.dir / "cloud", dav_read_only) {}

  // om-backup-copy to `destinations`, with the app's arguments and the test's rclone.conf.
  [[nodiscard]] test::ToolResult copy(const std::vector<std::string>& destinations,
                                      std::vector<std::string> extra = {},
                                      std::map<std::string, std::string> env = {}) const {
    auto a = app.args({"--rclone-config", cloud.conf()});
    for (const auto& d : destinations)
      a.insert(a.end(), {"--copy-to", d});
    a.insert(a.end(), extra.begin(), extra.end());
    auto e = app.env();
    e.insert(env.begin(), env.end());
    return test::run_tool("om-backup-copy", a, e);
  }
  [[nodiscard]] test::ToolResult restore(std::vector<std::string> args) const {
    auto a = app.args({"--rclone-config", cloud.conf()});
    a.insert(a.end(), args.begin(), args.end());
    return test::run_tool("om-backup-restore", a, app.env());
  }
  // The archive names of a repository, oldest first.
  [[nodiscard]] std::vector<std::string> archives(const std::string& repo) const {
    auto r = restore({"--repo", repo, "--target", "local", "--json", "list"});
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> names;
    for (auto line : util::split(r.out, '"')) {
      if (std::string(line).starts_with("om-"))
        names.emplace_back(line);
    }
    std::set<std::string> unique(names.begin(), names.end());
    return {unique.begin(), unique.end()};
  }

  test::TestCatalog db;
  SampleApp app;
  Cloud cloud;
};

// Every file of a folder with its content's hash, sorted: equal text, equal trees
// (node_modules is never backed up).
std::string tree(const std::string& dir) {
  return test::shell("cd " + util::shell_quote(dir) +
                     " && find . -path ./node_modules -prune -o -type f -print0 | LC_ALL=C sort -z"
                     " | xargs -0 sha256sum");
}

std::set<std::string> segments(const std::string& repo) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(repo + "/data"))
    if (e.is_regular_file())
      out.insert(e.path().string());
  return out;
}

// The sizes of a Cloud::listing, file by file.
std::vector<std::int64_t> sizes(const std::string& listing) {
  std::vector<std::int64_t> out;
  for (auto line : util::split(listing, '\n'))
    if (!line.empty())
      out.push_back(std::stoll(std::string(line)));
  return out;
}

std::int64_t total(const std::vector<std::int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), std::int64_t{0});
}

std::int64_t manifest_number(const std::string& manifest, const std::string& key) {
  auto text = test::read_text(manifest);
  auto at = text.find("\"" + key + "\":");
  REQUIRE(at != std::string::npos);
  return std::stoll(text.substr(at + key.size() + 3));
}

void random_file(const std::string& path, int kib) {
  (void)test::shell("mkdir -p \"$(dirname " + util::shell_quote(path) + ")\" && head -c " +
                    std::to_string(kib) + "K /dev/urandom > " + util::shell_quote(path));
}

} // namespace

TEST_CASE("copy: backup and copy twice to sftp and webdav - only new segments travel - a fetched "
          "copy restores the files and the database") {
  CopyBed bed;
  auto& app = bed.app;
  random_file(app.prod + "/uploads/scan-1.bin", 2048);
  REQUIRE(app.run().exit_code == 0);
  const std::vector<std::string> to{bed.cloud.sftp("om-repo"), bed.cloud.dav("om-repo")};
  auto first = bed.copy(to);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.empty());
  CHECK(first.err.empty());
  CHECK(bed.db.scalar("SELECT CONCAT(kind, ' ', status) FROM backup_jobs WHERE kind = 'copy'") ==
        "copy success");
  // The copy's progress row ended with the bytes rclone sent.
  CHECK(bed.db.scalar("SELECT CONCAT_WS('|', p.status, p.phase, p.bytes_processed > 0) FROM "
                      "backup_job_progress p JOIN backup_jobs j ON j.id = p.job_id WHERE "
                      "j.kind = 'copy'") == "success|done|1");
  CHECK(bed.db.scalar("SELECT GROUP_CONCAT(file_path ORDER BY file_path) FROM backup_artifacts "
                      "WHERE artifact_type = 'copy'") == to[1] + "," + to[0]);
  auto listing = Cloud::listing(bed.cloud.local_sftp("om-repo"));
  CHECK(listing.find(" data/0/") != std::string::npos);
  CHECK(listing.find("lock.") == std::string::npos);
  CHECK(Cloud::listing(bed.cloud.local_dav("om-repo")) == listing);
  const auto on_server = total(sizes(listing));
  CHECK(bed.db.scalar("SELECT MIN(file_size) FROM backup_artifacts WHERE artifact_type = "
                      "'copy'") == std::to_string(on_server));
  const auto manifest_paths = bed.db.scalar("SELECT GROUP_CONCAT(manifest_path) FROM "
                                            "backup_artifacts WHERE artifact_type = 'copy'");
  auto manifests = util::split(manifest_paths, ',');
  CHECK(test::manifest_problems({std::string(manifests[0]), std::string(manifests[1])}).empty());

  // A second, small backup: the next copy sends its segments and the new index, not the first.
  const auto before = segments(app.repo);
  random_file(app.prod + "/uploads/scan-2.bin", 300);
  REQUIRE(app.run().exit_code == 0);
  std::int64_t new_bytes = 0;
  for (const auto& s : segments(app.repo))
    if (!before.contains(s))
      new_bytes += static_cast<std::int64_t>(fs::file_size(s));
  auto second = bed.copy(to);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  auto manifest = bed.db.scalar(
      "SELECT a.manifest_path FROM backup_artifacts a JOIN backup_jobs j ON j.id = a.job_id WHERE "
      "a.artifact_type = 'copy' AND a.file_path = '" +
      to[0] + "' ORDER BY j.created_at DESC, j.started_at DESC LIMIT 1");
  const auto sent = manifest_number(manifest, "bytes_transferred");
  const auto index = static_cast<std::int64_t>(std::stoll(
      test::shell("cat " + util::shell_quote(app.repo) + "/index.* " + util::shell_quote(app.repo) +
                  "/hints.* " + util::shell_quote(app.repo) + "/integrity.* | wc -c")));
  INFO("sent " << sent << ", new segments " << new_bytes << ", index files " << index);
  CHECK(sent >= new_bytes);
  CHECK(sent <= new_bytes + index + 4096);
  CHECK(sent < 2048 * 1024);

  // Both copies come back whole, and restore byte for byte.
  auto fetched = bed.restore({"fetch", "--from", to[0], "--to", app.dir / "fetched"});
  INFO(fetched.err);
  REQUIRE(fetched.exit_code == 0);
  CHECK(fetched.out == "--repo " + app.dir / "fetched" + "\n");
  auto names = bed.archives(app.dir / "fetched");
  REQUIRE(names.size() == 2);
  auto files = bed.restore({"--repo", app.dir / "fetched", "files", "--from", names.back(), "--to",
                            app.dir / "restored"});
  INFO(files.err);
  REQUIRE(files.exit_code == 0);
  CHECK(tree(app.dir / "restored/prod") == tree(app.prod));
  test::TestCatalog fresh;
  auto loaded = bed.restore(
      {"--repo", app.dir / "fetched", "db", "--from", names.back(), "--database", fresh.name()});
  INFO(loaded.err);
  REQUIRE(loaded.exit_code == 0);
  const std::string parishes = "SELECT GROUP_CONCAT(id, name, HEX(seal) ORDER BY id) FROM parishes";
  CHECK(fresh.scalar(parishes) == bed.db.scalar(parishes));
  auto from_dav = bed.restore({"fetch", "--from", to[1], "--to", app.dir / "fetched-dav"});
  INFO(from_dav.err);
  REQUIRE(from_dav.exit_code == 0);
  CHECK(bed.archives(app.dir / "fetched-dav") == names);
  // The original repository is untouched by the copies' own borg state.
  CHECK(app.borg({"list", "--short", app.repo}).find(names.back()) != std::string::npos);

  // Reports: copies are jobs of their own kind, watched per destination.
  auto report = [&](std::vector<std::string> args) {
    auto a = bed.db.tool_args();
    a.insert(a.end(), {"--repo", app.repo});
    a.insert(a.end(), args.begin(), args.end());
    return test::run_tool("om-backup-report", a, app.env());
  };
  auto jobs = report({"--json", "jobs", "--kind", "copy"});
  CHECK(std::ranges::count(jobs.out, '{') == 2);
  auto fresh_copies = report({"check", "--max-copy-age", "1h"});
  INFO(fresh_copies.out);
  CHECK(fresh_copies.exit_code == 0);
  bed.db.exec("UPDATE backup_jobs SET finished_at = finished_at - INTERVAL 3 HOUR, created_at = "
              "created_at - INTERVAL 3 HOUR WHERE kind = 'copy'");
  auto stale = report({"check", "--max-copy-age", "2h"});
  CHECK(stale.exit_code == 1);
  CHECK(stale.out.find("copy to " + to[0] + " last succeeded 3h ago (max 2h)") !=
        std::string::npos);
  CHECK(report({"check", "--max-copy-age", "1h"}).exit_code == 2);
  CHECK(report({"check"}).exit_code == 0); // copies are not backups: the backups are fresh
  auto metrics = report({"metrics"});
  CHECK(metrics.out.find("om_backup_copy_last_success_timestamp_seconds{destination=\"" + to[0] +
                         "\"}") != std::string::npos);
  CHECK(metrics.out.find("om_backup_copy_last_size_bytes{destination=\"" + to[1] + "\"}") !=
        std::string::npos);

  // om-backup-run --copy: the backup, then the copy as a job of its own.
  std::vector<std::string> run_and_copy{"--copy", "--rclone-config", bed.cloud.conf()};
  for (const auto& d : to)
    run_and_copy.insert(run_and_copy.end(), {"--copy-to", d});
  auto both = app.run(run_and_copy);
  INFO(both.err);
  CHECK(both.exit_code == 0);
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy' AND status = "
                      "'success'") == "3");
  CHECK(Cloud::listing(bed.cloud.local_sftp("om-repo")) ==
        Cloud::listing(bed.cloud.local_dav("om-repo")));
}

TEST_CASE("copy: a repository another process holds locked is not copied - exit 75 - then it is") {
  CopyBed bed;
  auto& app = bed.app;
  REQUIRE(app.run().exit_code == 0);
  test::BorgLockHolder holder(app);
  const std::vector<std::string> to{bed.cloud.sftp("held")};
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--no-check"}}) {
    auto r = bed.copy(to, extra);
    CHECK(r.exit_code == 75);
    CHECK(r.err.find("lock") != std::string::npos);
    CHECK(std::ranges::count(r.err, '\n') == 1);
  }
  CHECK(Cloud::listing(bed.cloud.local_sftp("held")).empty());
  CHECK(bed.db.scalar("SELECT GROUP_CONCAT(status) FROM backup_jobs WHERE kind = 'copy'") ==
        "failed,failed");
  holder.release();
  REQUIRE_FALSE(fs::exists(app.repo + "/lock.exclusive"));
  auto r = bed.copy(to);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(!Cloud::listing(bed.cloud.local_sftp("held")).empty());
}

TEST_CASE(
    "copy: a corrupted local segment fails borg check - exit 2 - the cloud copy is as it was") {
  CopyBed bed;
  auto& app = bed.app;
  random_file(app.prod + "/uploads/scan.bin", 1024);
  REQUIRE(app.run().exit_code == 0);
  const std::vector<std::string> to{bed.cloud.sftp("good")};
  // An admin at a terminal sees rclone's progress; cron (every other test) sees nothing.
  auto tty = test::run_tool_on_terminal(
      "om-backup-copy", app.args({"--rclone-config", bed.cloud.conf(), "--copy-to", to[0]}),
      app.env());
  INFO(tty.out);
  REQUIRE(tty.exit_code == 0);
  CHECK(tty.out.find("copying segments to " + to[0]) != std::string::npos);
  const auto before = Cloud::listing(bed.cloud.local_sftp("good"));
  const auto sums = tree(bed.cloud.local_sftp("good"));
  // The largest segment gets a few bytes overwritten in the middle, as a failing disk would.
  auto largest = test::shell("ls -S " + util::shell_quote(app.repo) + "/data/0 | head -1");
  auto segment = app.repo + "/data/0/" + std::string(util::trim(largest));
  (void)test::shell("printf 'XXXXXXXX' | dd of=" + util::shell_quote(segment) +
                    " bs=1 seek=500000 conv=notrunc status=none");
  auto r = bed.copy(to);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("borg check") != std::string::npos);
  CHECK(tree(bed.cloud.local_sftp("good")) == sums);
  CHECK(Cloud::listing(bed.cloud.local_sftp("good")) == before);
  CHECK(bed.db.scalar("SELECT LEFT(error, 12) FROM backup_jobs WHERE kind = 'copy' AND status = "
                      "'failed'") == "copy to sftp");
}

TEST_CASE("copy: most of the data deleted and compacted - the guard stops the copy - --force "
          "copies and keeps what it removed") {
  CopyBed bed;
  auto& app = bed.app;
  random_file(app.prod + "/uploads/big.bin", 3072);
  REQUIRE(app.run().exit_code == 0);
  const auto old_archive = app.borg({"list", "--short", app.repo});
  (void)test::shell("rm " + util::shell_quote(app.prod + "/uploads/big.bin"));
  REQUIRE(app.run().exit_code == 0);
  const std::vector<std::string> to{bed.cloud.dav("guarded")};
  REQUIRE(bed.copy(to).exit_code == 0);
  const auto sums = tree(bed.cloud.local_dav("guarded"));

  (void)app.borg({"delete", app.repo + "::" + std::string(util::trim(old_archive))});
  (void)app.borg({"compact", app.repo});
  auto stopped = bed.copy(to);
  CHECK(stopped.exit_code == 2);
  CHECK(stopped.err.find("stopped before changing anything") != std::string::npos);
  CHECK(stopped.err.find("--force") != std::string::npos);
  CHECK(tree(bed.cloud.local_dav("guarded")) == sums);
  auto dry = bed.copy(to, {"--dry-run"});
  CHECK(dry.exit_code == 2);
  CHECK(dry.out.find("would stop") != std::string::npos);

  auto forced = bed.copy(to, {"--force"});
  INFO(forced.err);
  CHECK(forced.exit_code == 0);
  // What the copy removed is in the dated backup dir beside the copy, whole.
  auto kept = Cloud::listing(bed.cloud.local_dav("guarded-replaced"));
  CHECK(kept.find("Z/data/0/") != std::string::npos);
  const auto kept_bytes = total(sizes(kept));
  CHECK(kept_bytes > 3000 * 1024);
  CHECK(bed.archives(app.repo).size() == 1);

  // Dated folders older than copy-keep-days go with the next copy; younger ones stay.
  const auto replaced = bed.cloud.local_dav("guarded-replaced");
  test::write_text(replaced + "/2020-01-01T000000Z/data/0/1", "old");
  test::write_text(replaced + "/not-a-date/kept", "admin's");
  REQUIRE(bed.copy(to, {"--copy-keep-days", "30"}).exit_code == 0);
  CHECK_FALSE(fs::exists(replaced + "/2020-01-01T000000Z"));
  CHECK(fs::exists(replaced + "/not-a-date/kept"));
  CHECK(Cloud::listing(replaced).find("Z/data/0/") != std::string::npos);
}

TEST_CASE("copy: the sftp server killed mid-copy - the job fails with rclone's reason - the copy "
          "still restores - the next copy completes") {
  CopyBed bed;
  auto& app = bed.app;
  REQUIRE(app.run().exit_code == 0);
  const std::vector<std::string> to{bed.cloud.sftp("killed")};
  REQUIRE(bed.copy(to).exit_code == 0);
  const auto first = bed.archives(app.repo);
  random_file(app.prod + "/uploads/video.bin", 24 * 1024);
  REQUIRE(app.run().exit_code == 0);

  test::ToolResult r;
  const auto copied_before = Cloud::listing(bed.cloud.local_sftp("killed"));
  // Slow enough to be killed in the middle; rclone gives up soon once it is.
  const std::map<std::string, std::string> slow{{"RCLONE_BWLIMIT", "4M"},
                                                {"RCLONE_TIMEOUT", "5s"},
                                                {"RCLONE_CONTIMEOUT", "2s"},
                                                {"RCLONE_RETRIES", "1"},
                                                {"RCLONE_LOW_LEVEL_RETRIES", "1"}};
  std::thread copying([&] { r = bed.copy(to, {}, slow); });
  // Killed once the big segment is on its way (a file of over a MiB is there).
  bool sending = test::eventually([&] {
    auto now = Cloud::listing(bed.cloud.local_sftp("killed"));
    return now != copied_before &&
           std::ranges::any_of(sizes(now), [](std::int64_t size) { return size > (1 << 20); });
  });
  bed.cloud.ssh.kill_now();
  copying.join();
  REQUIRE(sending);
  CHECK(r.exit_code == 2);
  auto error = bed.db.scalar("SELECT error FROM backup_jobs WHERE kind = 'copy' AND status = "
                             "'failed'");
  INFO(error);
  // Killed while the segments travel, or (a newer rclone, done with them sooner) while the
  // rest is synced: rclone's reason either way.
  CHECK((error.starts_with("copying segments to " + to[0] + ": rclone copy: ") ||
         error.starts_with("copying to " + to[0] + ": rclone sync: ")));

  bed.cloud.ssh.start();
  auto fetched = bed.restore({"fetch", "--from", to[0], "--to", app.dir / "previous"});
  INFO(fetched.err);
  REQUIRE(fetched.exit_code == 0);
  CHECK(bed.archives(app.dir / "previous") == first);
  auto files = bed.restore({"--repo", app.dir / "previous", "files", "--from", first.back(), "--to",
                            app.dir / "restored"});
  CHECK(files.exit_code == 0);

  auto again = bed.copy(to);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  auto whole = bed.restore({"fetch", "--from", to[0], "--to", app.dir / "now"});
  REQUIRE(whole.exit_code == 0);
  CHECK(bed.archives(app.dir / "now").size() == 2);
}

TEST_CASE("copy: an unknown remote - a malformed rclone.conf - a read-only destination: one "
          "line - its exit code - the job failed - no password anywhere") {
  CopyBed bed(true);
  auto& app = bed.app;
  REQUIRE(app.run().exit_code == 0);

  auto unknown = bed.copy({"nosuch:repo"});
  CHECK(unknown.exit_code == 78);
  CHECK(unknown.err.find("nosuch") != std::string::npos);
  CHECK(std::ranges::count(unknown.err, '\n') == 1);

  auto read_only = bed.copy({bed.cloud.dav("repo")});
  CHECK(read_only.exit_code == 2);
  CHECK(std::ranges::count(read_only.err, '\n') == 1);

  test::write_text(app.dir / "broken.conf", "[dav\ntype = webdav\nthis is not a config\n");
  auto args = app.args({"--rclone-config", app.dir / "broken.conf", "--copy-to", "dav:repo"});
  auto malformed = test::run_tool("om-backup-copy", args, app.env());
  CHECK(malformed.exit_code == 78);
  CHECK(std::ranges::count(malformed.err, '\n') == 1);

  auto missing = test::run_tool(
      "om-backup-copy", app.args({"--rclone-config", app.dir / "none.conf", "--copy-to", "x:y"}),
      app.env());
  CHECK(missing.exit_code == 78);
  auto nothing = test::run_tool("om-backup-copy", app.args(), app.env());
  CHECK(nothing.exit_code == 78);
  CHECK(nothing.err.find("copy-to") != std::string::npos);

  CHECK(bed.db.scalar("SELECT GROUP_CONCAT(status) FROM backup_jobs WHERE kind = 'copy'") ==
        "failed,failed,failed");
  for (const auto& out : {unknown.err, read_only.err, malformed.err,
                          bed.db.scalar("SELECT GROUP_CONCAT(error) FROM backup_jobs"),
                          test::shell("cat " + util::shell_quote(app.logs) + "/*")})
    CHECK(out.find(Cloud::k_dav_password) == std::string::npos);
}

TEST_CASE("copy: SIGTERM mid-copy cancels the job and lets borg's lock go - a queued copy is "
          "adopted - a copy while the catalog is down is spooled - verify --copy drills on it") {
  CopyBed bed;
  auto& app = bed.app;
  random_file(app.prod + "/uploads/video.bin", 16 * 1024);
  REQUIRE(app.run().exit_code == 0);

  const std::vector<std::string> slow_to{bed.cloud.sftp("signalled")};
  test::ToolResult stopped;
  std::thread copying([&] { stopped = bed.copy(slow_to, {}, {{"RCLONE_BWLIMIT", "2M"}}); });
  REQUIRE(test::eventually([&] {
    return Cloud::listing(bed.cloud.local_sftp("signalled")).find(" data/0/") != std::string::npos;
  }));
  (void)test::shell("pkill -TERM -f " + util::shell_quote("[o]m-backup-copy.*signalled"));
  copying.join();
  CHECK(stopped.exit_code == 130);
  CHECK(bed.db.scalar("SELECT status FROM backup_jobs WHERE kind = 'copy'") == "cancelled");
  CHECK(test::eventually([&] { return !fs::exists(app.repo + "/lock.exclusive"); }));
  CHECK(test::shell("pgrep -f " + util::shell_quote("[w]ith-lock.*" + app.repo) + " || true")
            .empty());

  // The UI queued a copy: om-backup-copy runs it; om-backup-run refuses it.
  const std::string queued = "c0c0c0c0-0000-4000-8000-000000000001";
  bed.db.exec("INSERT INTO backup_jobs (id, kind, status, requested_by) VALUES ('" + queued +
              "', 'copy', 'queued', 'admin')");
  auto refused = app.run({"--job-id", queued});
  CHECK(refused.exit_code == 64);
  CHECK(bed.db.scalar("SELECT status FROM backup_jobs WHERE id = '" + queued + "'") == "queued");
  const std::vector<std::string> to{bed.cloud.dav("queued")};
  auto adopted = bed.copy(to, {"--job-id", queued});
  INFO(adopted.err);
  CHECK(adopted.exit_code == 0);
  CHECK(bed.db.scalar("SELECT CONCAT(status, ' ', requested_by) FROM backup_jobs WHERE id = '" +
                      queued + "'") == "success admin");

  // The catalog down: the copy is made and its record spooled, then written by the next tool.
  auto spooled = bed.copy(to, {"--db-socket", "/nonexistent/mysqld.sock"});
  CHECK(spooled.exit_code == 0);
  CHECK(spooled.err.find("spool") != std::string::npos);
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy'") == "2");
  REQUIRE(bed.copy(to).exit_code == 0);
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy' AND status = "
                      "'success'") == "3");

  auto drill = bed.restore({"verify", "--copy", to[0]});
  INFO(drill.err);
  CHECK(drill.exit_code == 0);
  CHECK(drill.out.find(" files and ") != std::string::npos);
  CHECK(test::shell("ls " + util::shell_quote(app.state)).find("verify-copy") == std::string::npos);
}

TEST_CASE("copy: README's config file with copy-to lines - every tool accepts it - "
          "om-backup-copy and run --copy copy to those destinations") {
  CopyBed bed;
  auto& app = bed.app;
  const std::vector<std::string> to{bed.cloud.sftp("from-file"), bed.cloud.dav("from-file")};
  // As README's "om-backup-copy" shows it: copy-to repeated, with a comment after the value.
  const auto conf = app.dir / "om.conf";
  test::write_text(conf, "copy-to = " + to[0] + "          # may repeat\ncopy-to = " + to[1] +
                             "\nrclone-config = " + bed.cloud.conf() +
                             "\ncopy-keep-days = 30\ncopy-max-delete = 20\n");
  for (const auto& tool : test::all_tools()) {
    INFO(tool);
    auto help = test::run_tool(tool, {"--config", conf, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.err.empty());
  }
  auto report_args = bed.db.tool_args();
  report_args.insert(report_args.end(), {"--config", conf, "config", "--json"});
  auto listed = test::run_tool("om-backup-report", report_args, app.env());
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, test::Contains(R"("key":"copy-to","value":")" + to[0] + "," + to[1] +
                                        R"(","origin":"file:)" + conf + R"(:1"})"));

  REQUIRE(app.run().exit_code == 0);
  auto copy = test::run_tool("om-backup-copy", app.args({"--config", conf}), app.env());
  INFO(copy.err);
  CHECK(copy.exit_code == 0);
  CHECK_FALSE(Cloud::listing(bed.cloud.local_sftp("from-file")).empty());
  CHECK(Cloud::listing(bed.cloud.local_sftp("from-file")) ==
        Cloud::listing(bed.cloud.local_dav("from-file")));

  auto both = app.run({"--config", conf, "--copy"});
  INFO(both.err);
  CHECK(both.exit_code == 0);
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy' AND status = "
                      "'success'") == "2");
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'borg' AND status = "
                      "'success'") == "2");
  CHECK(Cloud::listing(bed.cloud.local_sftp("from-file")) ==
        Cloud::listing(bed.cloud.local_dav("from-file")));
  // The command line's --copy-to replaces the file's lines.
  auto one = bed.copy({bed.cloud.sftp("given")}, {"--config", conf});
  INFO(one.err);
  CHECK(one.exit_code == 0);
  CHECK_FALSE(Cloud::listing(bed.cloud.local_sftp("given")).empty());
  CHECK(bed.db.scalar("SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy'") == "3");
}
