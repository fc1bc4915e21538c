#include "support/catch.hpp"

#include <csignal>

#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/offsite.hpp"

using namespace om;
using test::Offsite;
using test::SampleApp;

TEST_CASE("targets sync: each target's archives are linked to their runs and foreign ones become "
          "jobs of that target") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  auto r = offsite.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  // Archives made by the run are known on both targets: nothing new.
  auto sync = offsite.tool("om-backup-sync", {"--json"});
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK(sync.out.find("\"archives_seen\":2") != std::string::npos);
  CHECK(sync.out.find("\"jobs_created\":0") != std::string::npos);
  CHECK(sync.out.find("\"targets_failed\":[]") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);

  // An archive someone made by hand on the offsite repository is a job of that target.
  (void)offsite.borg("create " + offsite.ssh.url() + "::by-hand " + util::shell_quote(app.prod));
  auto again = offsite.tool("om-backup-sync", {"--json"});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("\"jobs_created\":1") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2);
  CHECK(db.scalar("SELECT CONCAT(t.target, ' ', t.status, ' ', t.repository, ' ', j.status, ' ', "
                  "LEFT(j.requested_by, 7)) FROM backup_job_targets t JOIN backup_jobs j ON j.id = "
                  "t.job_id WHERE t.archive_name = 'by-hand'") ==
        "offsite success " + offsite.ssh.url() + " success script:");
  CHECK(db.scalar("SELECT file_path FROM backup_artifacts WHERE file_path LIKE '%by-hand'") ==
        offsite.ssh.url() + "::by-hand");

  // Synced once, never twice; --target limits the sync to that target.
  auto third = offsite.tool("om-backup-sync", {"--json", "--target", "offsite"});
  INFO(third.err);
  CHECK(third.exit_code == 0);
  CHECK(third.out.find("\"archives_seen\":2") != std::string::npos);
  CHECK(third.out.find("\"jobs_created\":0") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 3);
}

TEST_CASE("targets sync: an unreachable target is a warning naming it and the others are synced") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  auto r = offsite.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  (void)app.borg({"create", app.repo + "::by-hand", app.prod});
  offsite.ssh.stop();

  auto sync = offsite.tool("om-backup-sync", {"--json"});
  INFO(sync.err);
  CHECK(sync.exit_code == 1);
  CHECK(sync.err.find("target offsite") != std::string::npos);
  CHECK(sync.out.find("\"targets_failed\":[\"offsite\"]") != std::string::npos);
  CHECK(sync.out.find("\"jobs_created\":1") != std::string::npos);
  CHECK(db.scalar("SELECT target FROM backup_job_targets WHERE archive_name = 'by-hand'") ==
        "local");
  // Nothing of the offsite target's history was touched.
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE file_path LIKE 'ssh://%'") == 1);

  // Only that target asked for, and unreachable: the sync fails.
  auto only = offsite.tool("om-backup-sync", {"--target", "offsite"});
  CHECK(only.exit_code == 2);
  CHECK(only.err.find("om-backup-sync: ") != std::string::npos);
}

TEST_CASE("targets sync: the archives borg finished after a two-target run was killed belong to "
          "that run's job") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  test::ToolResult killed;
  auto runner = test::start_held_run(offsite.app, killed, {"--config", offsite.config});
  auto job = db.scalar("SELECT id FROM backup_jobs");
  // Only om-backup-run dies: both borg creates, in their own process group, finish.
  ::kill(static_cast<pid_t>(db.count("SELECT pid FROM backup_job_runs")), SIGKILL);
  runner.join();
  CHECK(killed.term_signal == SIGKILL);
  test::write_text(app.dir / "go", "");
  REQUIRE(test::eventually([&] {
    return !test::borg_create_running(app.repo) && !test::borg_create_running(offsite.ssh.url());
  }));
  REQUIRE(offsite.archives().size() == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);

  auto sync = offsite.tool("om-backup-sync", {"--json"});
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK(sync.out.find("\"jobs_created\":0") != std::string::npos);
  CHECK(sync.out.find("\"jobs_enriched\":2") != std::string::npos);
  CHECK(sync.out.find("\"abandoned_closed\":1") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);
  CHECK(db.scalar("SELECT GROUP_CONCAT(DISTINCT job_id) FROM backup_artifacts") == job);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 2);
  // Each target's row names its own archive's id, and says the run died.
  CHECK(db.count("SELECT COUNT(*) FROM backup_job_targets t JOIN backup_artifacts a ON a.sha256 = "
                 "t.archive_id AND a.file_path = CONCAT(t.repository, '::', t.archive_name) "
                 "WHERE t.status = 'failed' AND t.error LIKE 'abandoned%'") == 2);
  auto again = offsite.tool("om-backup-sync", {"--json"});
  CHECK(again.out.find("\"jobs_enriched\":0") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 2);
}

TEST_CASE("targets report: metrics, stats and archives show each target") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  auto r = offsite.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto job = db.scalar("SELECT id FROM backup_jobs");

  auto metrics = offsite.report({"metrics"});
  INFO(metrics.err);
  REQUIRE(metrics.exit_code == 0);
  const auto finished = db.scalar("SELECT UNIX_TIMESTAMP(finished_at) FROM backup_job_targets "
                                  "WHERE target = 'offsite'");
  CHECK(metrics.out.find("om_backup_target_last_success_timestamp_seconds{target=\"offsite\"} " +
                         finished + "\n") != std::string::npos);
  CHECK(metrics.out.find("om_backup_target_last_size_bytes{target=\"offsite\"} " +
                         db.scalar("SELECT compressed_size FROM backup_job_targets WHERE target = "
                                   "'offsite'") +
                         "\n") != std::string::npos);
  CHECK(metrics.out.find("om_backup_target_last_duration_seconds{target=\"local\"} ") !=
        std::string::npos);

  auto stats = offsite.report({"stats", "--json"});
  INFO(stats.err);
  REQUIRE(stats.exit_code == 0);
  INFO(stats.out);
  CHECK(stats.out.find(R"("targets":[{"target":"local","total":1,"success":1,"failed":0,)") !=
        std::string::npos);
  CHECK(stats.out.find(R"({"target":"offsite","total":1,"success":1,"failed":0,)") !=
        std::string::npos);
  // Each target's repository size, from borg over ssh for the offsite one.
  CHECK(stats.out.find(R"("repository_size":null)") == std::string::npos);

  auto archives = offsite.report({"archives", "--json"});
  INFO(archives.err);
  REQUIRE(archives.exit_code == 0);
  auto archive = db.scalar("SELECT archive_name FROM backup_job_targets WHERE target = 'offsite'");
  for (const std::string target : {"local", "offsite"})
    CHECK(archives.out.find(R"({"target":")" + target + R"(","name":")" + archive + "\"") !=
          std::string::npos);
  CHECK(archives.out.find(R"("job_id":")" + job + "\"") != std::string::npos);

  // A target borg cannot reach is a warning naming it; the others are still listed.
  offsite.ssh.stop();
  auto partial = offsite.report({"archives", "--json"});
  CHECK(partial.exit_code == 1);
  CHECK(partial.err.find("target offsite") != std::string::npos);
  CHECK(partial.out.find(R"({"target":"local")") != std::string::npos);
  CHECK(partial.out.find(R"({"target":"offsite")") == std::string::npos);
}
