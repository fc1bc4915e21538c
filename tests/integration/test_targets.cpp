#include "support/catch.hpp"

#include <filesystem>
#include <thread>

#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/offsite.hpp"
#include "support/sample_app.hpp"

using namespace om;
using test::Offsite;
using test::SampleApp;

namespace {

// What an archive holds, file by file with its content's hash: equal text, equal files.
const char* k_content = "{mode} {size} {sha256} {path}{NL}";

} // namespace

TEST_CASE("targets: one job writes one archive to the local and one to the SSH repository") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  auto r = offsite.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  CHECK(db.scalar("SELECT COUNT(*) FROM backup_jobs") == "1");
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "success");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_artifacts") == "2");
  CHECK(db.scalar("SELECT GROUP_CONCAT(target, ' ', status, ' ', LENGTH(archive_id) ORDER BY "
                  "target) FROM backup_job_targets") == "local success 64,offsite success 64");
  auto archive = db.scalar("SELECT archive_name FROM backup_job_targets WHERE target = 'local'");
  CHECK(db.scalar("SELECT archive_name FROM backup_job_targets WHERE target = 'offsite'") ==
        archive);
  CHECK(db.scalar("SELECT GROUP_CONCAT(file_path ORDER BY file_path) FROM backup_artifacts") ==
        app.repo + "::" + archive + "," + offsite.ssh.url() + "::" + archive);

  // A manifest per target, both of the one schema.
  auto job = db.scalar("SELECT id FROM backup_jobs");
  const std::vector<std::string> manifests = {app.state + "/manifests/" + job + ".json",
                                              app.state + "/manifests/" + job + ".offsite.json"};
  CHECK(db.scalar("SELECT GROUP_CONCAT(manifest_path ORDER BY manifest_path) FROM "
                  "backup_artifacts") == manifests[0] + "," + manifests[1]);
  CHECK(test::manifest_problems(manifests).empty());

  // The same files, byte for byte, and the same dump (one snapshot for both).
  auto local_list = app.borg({"list", "--format", k_content, app.repo + "::" + archive});
  auto offsite_list = offsite.borg("list --format " + util::shell_quote(k_content) + " " +
                                   offsite.ssh.url() + "::" + archive);
  CHECK(local_list.find("database/") != std::string::npos);
  CHECK(local_list == offsite_list);

  auto check = offsite.report({"check"});
  INFO(check.out);
  CHECK(check.exit_code == 0);

  // A second run adds an archive to each.
  auto again = offsite.run();
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(util::split(util::trim(app.borg({"list", "--short", app.repo})), '\n').size() == 2);
  CHECK(util::split(util::trim(offsite.borg("list --short " + offsite.ssh.url())), '\n').size() ==
        2);
}

TEST_CASE("targets: an unreachable SSH target fails alone, with ssh's reason, and the job warns") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  offsite.ssh.stop();
  auto r = offsite.run();
  INFO(r.err);
  INFO("the run took " << r.seconds << " s");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("target offsite failed") != std::string::npos);
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "success");
  auto error = db.scalar("SELECT error FROM backup_jobs");
  CHECK(error.starts_with("warning: target offsite failed: "));
  CHECK(error.find("Connection refused") != std::string::npos);
  CHECK(db.scalar("SELECT GROUP_CONCAT(target, ' ', status ORDER BY target) FROM "
                  "backup_job_targets") == "local success,offsite failed");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_artifacts") == "1");
  // No archive name on a target that has no archive.
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_job_targets WHERE target = 'offsite' AND "
                  "archive_name IS NULL") == "1");

  // Monitoring names the lagging target: it has never succeeded.
  auto check = offsite.report({"check"});
  CHECK(check.exit_code == 2);
  CHECK(check.out.find("no successful backup to target offsite recorded") != std::string::npos);
  CHECK(check.out.find("target offsite failed: ") != std::string::npos);
}

TEST_CASE("targets: a refused key is the target's failure with ssh's reason, never a prompt") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  // Another key than the one the server knows.
  (void)test::shell("ssh-keygen -q -t ed25519 -N '' -f " + util::shell_quote(app.dir / "other"));
  auto text = test::read_text(offsite.config);
  test::write_text(offsite.config, text.replace(text.find(offsite.ssh.key()),
                                                offsite.ssh.key().size(), app.dir / "other"));
  auto r = offsite.run();
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(db.scalar("SELECT error FROM backup_job_targets WHERE target = 'offsite'")
            .find("Permission denied (publickey)") != std::string::npos);
  CHECK(db.scalar("SELECT status FROM backup_job_targets WHERE target = 'local'") == "success");
}

TEST_CASE("targets: a bad target configuration is exit 78 naming the file and line") {
  test::TestCatalog db;
  SampleApp app(db);
  auto conf = app.dir / "om-backup.conf";
  auto run = [&](const std::string& text, std::vector<std::string> extra = {}) {
    test::write_text(conf, text);
    extra.insert(extra.begin(), {"--config", conf});
    return app.run(extra);
  };
  auto unknown = run("[target.offsite]\nrepo = /srv/offsite\n", {"--target", "ofsite"});
  CHECK(unknown.exit_code == 78);
  CHECK(unknown.err.find("--target ofsite: no such target (defined: local, offsite; further "
                         "targets are [target.NAME] sections of " +
                         conf + ")") != std::string::npos);
  auto no_repo = run("keep-daily = 7\n[target.offsite]\nprune = no\n");
  CHECK(no_repo.exit_code == 78);
  CHECK(no_repo.err.find("config file " + conf + " line 2: target 'offsite' has no repo") !=
        std::string::npos);
  auto same = run("[target.again]\nrepo = " + app.repo + "/\n");
  CHECK(same.exit_code == 78);
  CHECK(same.err.find("target 'again' (config file " + conf +
                      " line 1) has the same repository as target 'local'") != std::string::npos);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_jobs") == "0");
}

TEST_CASE("targets: prune = no leaves an append-only target alone, prune = yes prunes it") {
  for (bool prune : {false, true}) {
    INFO("prune = " << (prune ? "yes" : "no"));
    test::TestCatalog db;
    SampleApp app(db);
    Offsite offsite(app, prune ? "prune = yes\n" : "prune = no\n");
    // One archive an hour is kept: the second run of the hour prunes the first.
    const std::vector<std::string> keep = {"--keep-hourly", "1", "--keep-daily",   "0",
                                           "--keep-weekly", "0", "--keep-monthly", "0"};
    for (int i = 0; i < 2; ++i) {
      auto r = offsite.run(keep);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
    }
    CHECK(util::split(util::trim(app.borg({"list", "--short", app.repo})), '\n').size() == 1);
    auto offsite_archives =
        util::split(util::trim(offsite.borg("list --short " + offsite.ssh.url())), '\n').size();
    CHECK(offsite_archives == (prune ? 1U : 2U));
    // om-backup-prune follows the same rule for every target.
    auto args = app.args({"--config", offsite.config});
    args.insert(args.end(), keep.begin(), keep.end());
    auto pruned = test::run_tool("om-backup-prune", args, app.env());
    INFO(pruned.err);
    CHECK(pruned.exit_code == 0);
    CHECK(util::split(util::trim(offsite.borg("list --short " + offsite.ssh.url())), '\n').size() ==
          offsite_archives);
  }
}

// A mysqldump stand-in that first streams 16 MiB (random: no chunk dedups) in two bursts two
// seconds apart, so a borg create with a one-second checkpoint interval writes a checkpoint on
// the way, then says so (<dir>/streamed) and holds until <dir>/go before the real dump.
std::string streaming_dump(const SampleApp& app) {
  const std::string& dir = app.dir.path();
  return app.write_script("streaming-dump.sh",
                          "echo $$ > " + dir +
                              "/dump.pid\n"
                              "head -c 8M /dev/urandom; sleep 2; head -c 8M /dev/urandom; sleep 2\n"
                              "touch " +
                              dir +
                              "/streamed\n"
                              "while [ ! -e " +
                              dir +
                              "/go ]; do sleep 0.1; done\n"
                              "exec mysqldump \"$@\"");
}

TEST_CASE("targets: the SSH server killed mid-transfer fails that target only - its checkpoint is "
          "no job") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app, "prune = no\ncheckpoint-interval = 1\n");
  test::ToolResult held;
  std::thread runner([&] { held = offsite.run({"--mysqldump", streaming_dump(app)}); });
  bool streamed = test::eventually([&] { return std::filesystem::exists(app.dir / "streamed"); });
  if (streamed)
    offsite.ssh.kill_now(); // mid-transfer: borg has sent 16 MiB and a checkpoint
  test::write_text(app.dir / "go", "");
  runner.join();
  REQUIRE(streamed);
  INFO(held.err);
  CHECK(held.exit_code == 1);
  CHECK(db.scalar("SELECT GROUP_CONCAT(target, ' ', status ORDER BY target) FROM "
                  "backup_job_targets") == "local success,offsite failed");
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_artifacts") == "1");
  // The dump reached the local archive whole although one of its two readers died.
  auto archive = db.scalar("SELECT archive_name FROM backup_job_targets WHERE target = 'local'");
  auto dump = app.borg(
      {"extract", "--stdout", app.repo + "::" + archive, "database/" + db.name() + ".sql"});
  auto body = std::string(util::trim(dump));
  CHECK(body.substr(body.rfind('\n') + 1).starts_with("-- Dump completed"));

  offsite.ssh.start();
  CHECK(offsite.archives() == std::vector<std::string>{archive + ".checkpoint"});
  auto sync = offsite.tool("om-backup-sync", {"--json"});
  INFO(sync.err);
  CHECK(sync.exit_code == 0);
  CHECK(sync.out.find("\"jobs_created\":0") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 1);

  // The next run goes through; the checkpoint is still no job.
  auto next = offsite.run();
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_job_targets WHERE status = 'success'") == "3");
  auto again = offsite.tool("om-backup-sync", {"--json"});
  CHECK(again.exit_code == 0);
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE file_path LIKE '%checkpoint%'") == 0);
}

TEST_CASE("targets: the server is lost - files and database come back from the offsite target") {
  test::TestCatalog db;
  SampleApp app(db);
  Offsite offsite(app);
  db.exec("CREATE TABLE ledger (id INT PRIMARY KEY, memo TEXT CHARACTER SET utf8mb4)");
  db.exec("INSERT INTO ledger VALUES (1, 'Слава Богу 🙏'), (2, NULL)");
  auto sum_before = db.scalar("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, memo)))) "
                              "FROM ledger");
  auto tree_before = test::shell("cd " + util::shell_quote(app.prod) +
                                 " && find . -type f -not -path './node_modules/*' -exec sha256sum "
                                 "{} + | sort -k2");
  auto r = offsite.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // The runbook's first step, done once: the offsite repository's key, kept off the server.
  (void)offsite.borg("key export " + offsite.ssh.url() + " " +
                     util::shell_quote(app.dir / "offsite.key"));
  CHECK(test::read_text(app.dir / "offsite.key").starts_with("BORG_KEY "));

  // The disaster: the local repository, the state folder and the whole database are gone.
  (void)test::shell("rm -rf " + util::shell_quote(app.repo) + " " + util::shell_quote(app.state));
  db.exec("DROP DATABASE `" + db.name() + "`");

  // What the admin still has: the config file, the offsite passphrase and the SSH key.
  auto restore = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", offsite.config, "--target", "offsite"});
    auto a = app.args(args);
    return test::run_tool("om-backup-restore", a, app.env());
  };
  auto listed = restore({"list", "--json"});
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  auto at = listed.out.find("\"archive\":\"");
  REQUIRE(at != std::string::npos);
  auto archive = listed.out.substr(at + 11, listed.out.find('"', at + 11) - at - 11);
  CHECK(archive.starts_with("om-"));

  auto files = restore({"files", "--from", archive, "--to", app.dir / "restored"});
  INFO(files.err);
  REQUIRE(files.exit_code == 0);
  CHECK(test::shell("cd " + util::shell_quote(app.dir / "restored/prod") +
                    " && find . -type f -not -path './node_modules/*' -exec sha256sum {} + | "
                    "sort -k2") == tree_before);

  test::TestCatalog fresh;
  auto load = restore({"db", "--from", archive, "--database", fresh.name()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(fresh.scalar("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, memo)))) FROM "
                     "ledger") == sum_before);

  // The restored database is the catalog again: sync brings the offsite archive back into it
  // (linked to the job that was running when the dump was taken, closed as abandoned).
  auto catalog_args = fresh.tool_args();
  catalog_args.insert(catalog_args.end(), {"--config", offsite.config, "--target", "offsite",
                                           "--state-dir", app.state, "--log-dir", app.logs});
  auto migrated = test::run_tool("om-backup-migrate", fresh.tool_args(), app.env());
  INFO(migrated.err);
  REQUIRE(migrated.exit_code == 0);
  auto synced = test::run_tool("om-backup-sync", catalog_args, app.env());
  INFO(synced.err);
  CHECK(synced.exit_code == 0);
  CHECK(fresh.scalar("SELECT COUNT(*) FROM backup_artifacts WHERE file_path = '" +
                     offsite.ssh.url() + "::" + archive + "'") == "1");
}
