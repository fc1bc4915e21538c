// Several servers, one catalog, one repository server (issue 19): web1 and web2 back up to
// the same borg repository over SSH and record into one MariaDB, each a host of its own on a
// private network (tests/support/network.hpp).
#include "support/catch.hpp"

#include <csignal>
#include <filesystem>
#include <thread>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/multihost.hpp"

using om::test::Contains;
using om::test::StartsWith;

namespace om::test {
namespace {

// The target section is the config file's last: a line added there is the target's.
void set_target_option(const MultiHost& bed, const std::string& host, const std::string& line) {
  const auto& config = bed.host(host).config;
  write_text(config, read_text(config) + line + "\n");
}

std::string newest_of(const MultiHost& bed, const std::string& host, const std::string& column) {
  return bed.db->scalar("SELECT j." + column +
                        " FROM backup_jobs j JOIN backup_job_runs r ON r.job_id = j.id WHERE "
                        "r.host = '" +
                        host + "' ORDER BY j.created_at DESC, j.started_at DESC LIMIT 1");
}

std::int64_t jobs_of(const MultiHost& bed, const std::string& host, const std::string& status) {
  return bed.db->count("SELECT COUNT(*) FROM backup_jobs j JOIN backup_job_runs r ON r.job_id = "
                       "j.id WHERE r.host = '" +
                       host + "' AND j.status = '" + status + "'");
}

std::size_t archives_of(const MultiHost& bed, const std::string& host) {
  std::size_t n = 0;
  for (const auto& name : bed.archives())
    n += name.starts_with("om-" + host + "-") ? 1 : 0;
  return n;
}

// A GET_LOCK waiting on the catalog server.
bool waiting_for_lock(const MultiHost& bed) {
  return bed.db->count(
             "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock'") > 0;
}

std::size_t spooled(const MultiHost& bed, const std::string& host) {
  const auto folder = bed.host(host).state + "/spool";
  if (!std::filesystem::exists(folder))
    return 0;
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder))
    n += e.path().extension() == ".json" ? 1 : 0;
  return n;
}

} // namespace

TEST_CASE("two hosts backing up one repository at once take turns and both are in the history",
          "[multihost]") {
  MultiHost bed("prune = no\n");
  set_target_option(bed, "web2", "lock-wait = 120");

  // web1 holds the repository (held in its dump, borg create running); web2 starts meanwhile
  // and waits for it in the catalog, then runs.
  ToolResult first;
  ToolResult second;
  auto web1 = bed.start_held_run("web1", first);
  std::thread web2([&] { second = bed.tool("web2", "om-backup-run", {}); });
  REQUIRE(eventually([&] { return waiting_for_lock(bed); }));
  CHECK(jobs_of(bed, "web2", "running") == 0); // not started: waiting
  bed.release("web1");
  web1.join();
  web2.join();
  INFO(first.err << second.err);
  CHECK(first.exit_code == 0);
  CHECK(second.exit_code == 0);
  // Never two writers: web2's job began once web1's had ended.
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_jobs a JOIN backup_job_runs ra ON ra.job_id = "
                      "a.id, backup_jobs b JOIN backup_job_runs rb ON rb.job_id = b.id WHERE "
                      "ra.host = 'web1' AND rb.host = 'web2' AND b.started_at >= a.finished_at "
                      "AND a.status = 'success' AND b.status = 'success'") == 1);
  CHECK(archives_of(bed, "web1") == 1);
  CHECK(archives_of(bed, "web2") == 1);
  CHECK(bed.archives().size() == 2);

  // web1 holds it again; web2 may wait only 2 s now: it gives up (75) naming web1's job, and
  // its attempt is in the history, cancelled, with its host and that reason.
  {
    const auto& config = bed.host("web2").config;
    auto text = read_text(config);
    text.replace(text.find("lock-wait = 120"), 15, "lock-wait = 2");
    write_text(config, text);
  }
  ToolResult third;
  auto again = bed.start_held_run("web1", third);
  auto refused = bed.tool("web2", "om-backup-run", {});
  bed.release("web1");
  again.join();
  INFO(refused.err);
  CHECK(refused.exit_code == 75);
  CHECK_THAT(refused.err, Contains("on host web1"));
  CHECK(third.exit_code == 0);
  CHECK(newest_of(bed, "web2", "status") == "cancelled");
  CHECK_THAT(newest_of(bed, "web2", "error"), Contains("is running: job") && Contains("web1"));
  CHECK(jobs_of(bed, "web2", "cancelled") == 1);
  CHECK(archives_of(bed, "web2") == 1);
  CHECK(archives_of(bed, "web1") == 2);
}

TEST_CASE("sync and prune on two hosts at once keep to their own and reports tell them apart",
          "[multihost]") {
  MultiHost bed("prune = no\nlock-wait = 120\n");
  for (int i = 0; i < 2; ++i) {
    for (const char* host : {"web1", "web2"}) {
      auto r = bed.tool(host, "om-backup-run", {});
      INFO(host << ": " << r.err);
      REQUIRE(r.exit_code == 0);
    }
  }
  // web2 syncs while web1 is in the middle of a backup (its borg list waits for the
  // repository, up to lock-wait), then both at the same moment.
  ToolResult held;
  ToolResult during;
  auto web1 = bed.start_held_run("web1", held);
  std::thread web2([&] { during = bed.tool("web2", "om-backup-sync", {}); });
  CHECK(eventually([&] { return bed.net.runs("web2", " list "); }));
  bed.release("web1");
  web1.join();
  web2.join();
  REQUIRE(held.exit_code == 0);
  ToolResult sync1;
  ToolResult sync2;
  std::thread s1([&] { sync1 = bed.tool("web1", "om-backup-sync", {}); });
  std::thread s2([&] { sync2 = bed.tool("web2", "om-backup-sync", {}); });
  s1.join();
  s2.join();
  INFO(during.err << sync1.err << sync2.err);
  CHECK(during.exit_code == 0);
  CHECK(sync1.exit_code == 0);
  CHECK(sync2.exit_code == 0);
  // Five runs, five jobs: none synthesized, each archive linked to its own host's job.
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_jobs") == 5);
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_jobs WHERE requested_by LIKE 'script:%'") == 0);
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_artifacts a JOIN backup_job_runs r ON "
                      "r.job_id = a.job_id WHERE a.file_path LIKE CONCAT('%::om-', r.host, "
                      "'-%')") == 5);
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_artifacts") == 5);

  // Prune on web1 keeps one of its own and never looks at web2's.
  {
    const auto& config = bed.host("web1").config;
    auto text = read_text(config);
    text.erase(text.find("prune = no\n"), 11);
    write_text(config, text);
  }
  auto pruned = bed.tool(
      "web1", "om-backup-prune",
      {"--keep-hourly", "0", "--keep-daily", "1", "--keep-weekly", "0", "--keep-monthly", "0"});
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK(archives_of(bed, "web1") == 1);
  CHECK(archives_of(bed, "web2") == 2);
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_artifacts a JOIN backup_job_runs r ON "
                      "r.job_id = a.job_id WHERE r.host = 'web1'") == 1);
  CHECK(bed.db->count("SELECT COUNT(*) FROM backup_artifacts a JOIN backup_job_runs r ON "
                      "r.job_id = a.job_id WHERE r.host = 'web2'") == 2);

  // Reports by host.
  auto web2_jobs =
      bed.tool("web1", "om-backup-report", {"jobs", "--host", "web2", "--format", "csv"});
  CHECK(web2_jobs.exit_code == 0);
  CHECK(util::split(util::trim(web2_jobs.out), '\n').size() == 3); // header and two jobs
  auto stats = bed.tool("web1", "om-backup-report", {"stats", "--host", "web1", "--json"});
  CHECK(stats.exit_code == 0);
  CHECK_THAT(stats.out, Contains(R"("kind":"borg","total":3,"success":3)"));
  auto metrics = bed.tool("web2", "om-backup-report", {"metrics"});
  CHECK_THAT(metrics.out,
             Contains("om_backup_host_last_success_timestamp_seconds{host=\"web1\"} ") &&
                 Contains("om_backup_host_running{host=\"web2\"} 0"));
  auto check = bed.tool("web2", "om-backup-report", {"check", "--host", "web2"});
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Contains("backup of web2"));
}

TEST_CASE("a host killed mid-backup is closed by its own next run and never by another host",
          "[multihost]") {
  MultiHost bed("prune = no\nlock-wait = 120\n");
  ToolResult killed;
  auto web1 = bed.start_held_run("web1", killed);
  const auto job = newest_of(bed, "web1", "id");
  bed.net.kill_host("web1"); // power lost: the tool, its borg and ssh, all at once
  web1.join();
  bed.release("web1"); // its next dump is not held
  CHECK(killed.term_signal == SIGKILL);
  CHECK(newest_of(bed, "web1", "status") == "running");

  // web2 backs up and syncs meanwhile; web1's job is not web2's to close.
  auto backup = bed.tool("web2", "om-backup-run", {});
  auto sync = bed.tool("web2", "om-backup-sync", {});
  INFO(backup.err << sync.err);
  CHECK(backup.exit_code == 0);
  CHECK(sync.exit_code == 0);
  CHECK(bed.db->scalar("SELECT status FROM backup_jobs WHERE id = '" + job + "'") == "running");
  // Monitoring names the host that went quiet.
  std::this_thread::sleep_for(std::chrono::seconds(2)); // older than --max-runtime 1s
  auto check = bed.tool("web2", "om-backup-report", {"check", "--max-runtime", "1s"});
  CHECK(check.exit_code == 1);
  CHECK_THAT(check.out, StartsWith("OM-BACKUP WARNING") && Contains("on web1 (1)"));

  // web1 is back: its next run closes its own dead job, then backs up.
  auto next = bed.tool("web1", "om-backup-run", {});
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(bed.db->scalar("SELECT status FROM backup_jobs WHERE id = '" + job + "'") == "failed");
  CHECK_THAT(bed.db->scalar("SELECT error FROM backup_jobs WHERE id = '" + job + "'"),
             StartsWith("abandoned") && Contains("on web1"));
  CHECK(archives_of(bed, "web1") >= 1);
  CHECK(archives_of(bed, "web2") == 1);
}

TEST_CASE("a host cut off the network mid-backup spools its record and the other backs up on",
          "[multihost]") {
  MultiHost bed("prune = no\nlock-wait = 120\n");
  // web2's dump needs no network once it is cut (the stand-in replays this one).
  write_text(bed.host("web2").dir + "/offline-dump.sql", "-- Dump completed\n");
  ToolResult cut;
  auto web2 = bed.start_held_run("web2", cut);
  const auto job = newest_of(bed, "web2", "id");
  bed.net.set_link("web2", false);
  bed.release("web2");
  web2.join();
  INFO(cut.err);
  CHECK(cut.exit_code == 2);
  // SSH's reason: its keepalive went unanswered, borg's connection closed.
  CHECK_THAT(cut.err, Contains("target central failed") &&
                          (Contains("not responding") || Contains("Connection closed")));
  CHECK(spooled(bed, "web2") == 1);
  CHECK(bed.db->scalar("SELECT status FROM backup_jobs WHERE id = '" + job + "'") == "running");

  // web1 backs up meanwhile: the catalog server dropped web2's dead session (and its lock),
  // the repository server its dead borg serve.
  auto other = bed.tool("web1", "om-backup-run", {});
  INFO(other.err);
  CHECK(other.exit_code == 0);
  CHECK(archives_of(bed, "web1") == 1);

  // The cable is back: web2's next run writes the spooled record, then backs up.
  bed.net.set_link("web2", true);
  auto next = bed.tool("web2", "om-backup-run", {});
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(spooled(bed, "web2") == 0);
  CHECK(bed.db->scalar("SELECT status FROM backup_jobs WHERE id = '" + job + "'") == "failed");
  CHECK(bed.db->scalar("SELECT status FROM backup_job_targets WHERE job_id = '" + job + "'") ==
        "failed");
  CHECK(newest_of(bed, "web2", "status") == "success");
}

} // namespace om::test
