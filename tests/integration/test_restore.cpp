#include "support/catch.hpp"

#include <filesystem>
#include <map>
#include <sys/stat.h>

#include <om/proc/run.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;
namespace fs = std::filesystem;

namespace {

// Every entry of a tree: path, mode, mtime, symlink target, and each file's content hash
// (node_modules is never backed up, so never compared).
std::string snapshot(const std::string& dir) {
  return test::shell(
      "cd " + util::shell_quote(dir) +
      " && find . -mindepth 1 -not -path './node_modules*' -exec stat -c '%n|%A|%Y|%N|%s' {} + "
      "| sort && find . -type f -not -path './node_modules*' -exec sha256sum {} + | sort -k2");
}

// An application with what restores get wrong: odd names, a symlink, modes, old mtimes, and
// a database with binary and utf8mb4 data, a trigger and a routine.
void make_awkward(SampleApp& app) {
  test::write_text(app.prod + "/odd/name with spaces.txt", "spaces");
  test::write_text(app.prod + "/odd/ünïcødé.txt", "unicode");
  test::write_text(app.prod + "/bin/run.sh", "#!/bin/sh\necho run\n");
  ::chmod((app.prod + "/bin/run.sh").c_str(), 0750);
  ::chmod((app.prod + "/odd/name with spaces.txt").c_str(), 0604);
  fs::create_symlink("../bin/run.sh", app.prod + "/odd/link");
  (void)test::shell("touch -h -d '2021-03-04 05:06:07' " +
                    util::shell_quote(app.prod + "/odd/link") + " " +
                    util::shell_quote(app.prod + "/odd/ünïcødé.txt"));
  app.db.exec("CREATE TABLE ledger (id INT PRIMARY KEY, memo TEXT CHARACTER SET utf8mb4, "
              "scan VARBINARY(8), total INT DEFAULT 0)");
  app.db.exec("INSERT INTO ledger VALUES (1, 'Слава Богу 🙏', X'00FF7F80', 0), (2, NULL, NULL, 0)");
  app.db.exec("CREATE TRIGGER ledger_total BEFORE INSERT ON ledger FOR EACH ROW SET NEW.total = "
              "NEW.id * 10");
  app.db.exec("CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2");
}

std::map<std::string, std::string> checksums(test::TestCatalog& db,
                                             const std::vector<std::string>& tables) {
  std::map<std::string, std::string> out;
  for (const auto& t : tables) {
    auto rows = db.sql().query("CHECKSUM TABLE " + t + " EXTENDED");
    REQUIRE(rows);
    out[t] = (*rows)[0].text(1);
  }
  return out;
}

// Restores files and database of `from` and compares them with what was backed up.
void round_trip(SampleApp& app, test::TestCatalog& db, const std::string& from,
                const std::string& tree_before,
                const std::map<std::string, std::string>& sums_before) {
  auto target = app.dir / "restored";
  auto files = app.restore({"files", "--from", from, "--to", target});
  INFO(files.err);
  REQUIRE(files.exit_code == 0);
  CHECK(snapshot(target + "/prod") == tree_before);

  test::TestCatalog fresh;
  auto load = app.restore({"db", "--from", from, "--database", fresh.name()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(checksums(fresh, {"ledger", "parishes"}) == sums_before);
  CHECK(fresh.count("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = "
                    "DATABASE() AND trigger_name = 'ledger_total'") == 1);
  CHECK(fresh.scalar("SELECT double_it(21)") == "42");
  // Loading again into a database that now has tables is refused.
  auto again = app.restore({"db", "--from", from, "--database", fresh.name()});
  CHECK(again.exit_code == 64);
  CHECK(again.err.find("has ") != std::string::npos);
  (void)db;
}

} // namespace

TEST_CASE("restore: a borg backup of files, uploads and database round-trips") {
  test::TestCatalog db;
  SampleApp app(db);
  make_awkward(app);
  REQUIRE(app.run().exit_code == 0);
  auto tree = snapshot(app.prod);
  auto sums = checksums(db, {"ledger", "parishes"});
  // Then the application changes: files edited and removed, a table dropped.
  test::write_text(app.prod + "/server/index.js", "changed");
  fs::remove(app.prod + "/odd/link");
  db.exec("DROP TABLE ledger");
  auto job = db.scalar("SELECT id FROM backup_jobs");
  auto dry = app.restore({"--dry-run", "files", "--from", job, "--to", app.dir / "restored"});
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out.find("would restore the application tree from borg archive " + app.repo +
                     "::om-") == 0);
  CHECK_FALSE(fs::exists(app.dir / "restored"));
  round_trip(app, db, job, tree, sums);

  auto listed = app.restore({"list", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("\"id\":\"" + job + "\"") != std::string::npos);
  // Only some paths, and never into a folder with something in it.
  auto some =
      app.restore({"files", "--from", job, "--to", app.dir / "partial", "--path", "server"});
  REQUIRE(some.exit_code == 0);
  CHECK(fs::exists(app.dir / "partial/prod/server/index.js"));
  CHECK_FALSE(fs::exists(app.dir / "partial/prod/odd"));
  auto busy = app.restore({"files", "--from", job, "--to", app.dir / "partial"});
  CHECK(busy.exit_code == 64);
}

TEST_CASE("restore: a legacy both backup round-trips and a flipped byte is refused") {
  test::TestCatalog db;
  SampleApp app(db);
  make_awkward(app);
  REQUIRE(app.run({"--kind", "both", "--backup-root", app.dir / "legacy"}).exit_code == 0);
  auto tree = snapshot(app.prod);
  auto sums = checksums(db, {"ledger", "parishes"});
  db.exec("DROP TABLE ledger");
  auto job = db.scalar("SELECT id FROM backup_jobs");
  round_trip(app, db, job, tree, sums);

  // One byte flipped in the dump: refused, naming both hashes, nothing restored.
  auto dump = db.scalar("SELECT file_path FROM backup_artifacts WHERE artifact_type = 'database'");
  auto recorded = db.scalar("SELECT sha256 FROM backup_artifacts WHERE artifact_type = 'database'");
  (void)test::shell("printf '\\001' | dd of=" + util::shell_quote(dump) +
                    " bs=1 seek=100 conv=notrunc status=none");
  auto flipped = *util::sha256_file(dump);
  auto refused = app.restore({"db", "--from", job, "--to-file", app.dir / "out.sql"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(flipped) != std::string::npos);
  CHECK(refused.err.find(recorded) != std::string::npos);
  CHECK_FALSE(fs::exists(app.dir / "out.sql"));
}

TEST_CASE("restore: a tar whose member climbs out of the target is refused") {
  test::TestCatalog db;
  SampleApp app(db);
  test::write_text(app.dir / "evil/evil", "pwned");
  auto tar = app.dir / "evil.tar.gz";
  (void)test::shell("tar -czf " + tar + " -C " + app.dir / "evil" +
                    " --transform 's,^evil$,../evil,' evil");
  CHECK(test::shell("tar -tzf " + tar) == "../evil\n");
  auto sha = *util::sha256_file(tar);
  auto size = std::to_string(fs::file_size(tar));
  db.exec("INSERT INTO backup_jobs (id, kind, status) VALUES "
          "('0e0e0e0e-0000-4000-8000-000000000001', 'files', 'success')");
  db.exec("INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256) "
          "VALUES "
          "('evil', '0e0e0e0e-0000-4000-8000-000000000001', 'files', '" +
          tar + "', " + size + ", '" + sha + "')");
  auto r = app.restore(
      {"files", "--from", "0e0e0e0e-0000-4000-8000-000000000001", "--to", app.dir / "t/inner"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("member '../evil'") != std::string::npos);
  CHECK_FALSE(fs::exists(app.dir / "t/evil"));
}

TEST_CASE("restore: a job synthesized from the legacy script's backup restores too") {
  test::TestCatalog db;
  SampleApp app(db);
  proc::Command script;
  script.argv = {"bash", std::string(OM_FIXTURES_DIR) + "/legacy-script/om-backup-v2.sh"};
  script.env_set = app.env();
  script.env_set["BORG_REPO"] = app.repo;
  script.env_set["OM_SOURCES"] = app.prod;
  script.env_set["OM_LOG_DIR"] = app.logs;
  auto made = proc::run(script);
  REQUIRE(made);
  REQUIRE(made->success());
  REQUIRE(test::run_tool("om-backup-sync", app.args(), app.env()).exit_code == 0);
  auto job = db.scalar("SELECT id FROM backup_jobs WHERE requested_by LIKE 'script:%'");
  auto r = app.restore({"files", "--from", job, "--to", app.dir / "from-script"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(snapshot(app.dir / "from-script/prod") == snapshot(app.prod));
}

TEST_CASE("restore verify: a drill restores the newest backup into scratch places and cleans up") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  auto r = app.restore({"verify"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("verified job " + db.scalar("SELECT id FROM backup_jobs") + ": ") == 0);
  CHECK(r.out.find(" 0 files") == std::string::npos);
  CHECK(r.out.find(" 0 tables") == std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE "
                 "'om_verify_%'") == 0);
  CHECK(test::shell("ls -A " + util::shell_quote(app.state) + " | grep -c verify- || true") ==
        "0\n");

  // A legacy backup whose dump was damaged fails the drill.
  REQUIRE(app.run({"--kind", "db", "--backup-root", app.dir / "legacy"}).exit_code == 0);
  auto dump = db.scalar("SELECT file_path FROM backup_artifacts WHERE artifact_type = 'database'");
  (void)test::shell("printf 'x' | dd of=" + util::shell_quote(dump) +
                    " bs=1 seek=50 conv=notrunc status=none");
  auto bad = app.restore({"verify"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("the catalog recorded") != std::string::npos);

  // Both drills are remembered, with their results (the weekly digest lists them).
  CHECK(db.scalar("SELECT GROUP_CONCAT(CONCAT_WS('|', status, source, error IS NULL) ORDER BY id) "
                  "FROM backup_restore_drills") ==
        "success|the newest backup|1,failed|the newest backup|0");
}

TEST_CASE("restore: the legacy files and db kinds round-trip on their own") {
  test::TestCatalog db;
  SampleApp app(db);
  make_awkward(app);
  auto root = app.dir / "legacy";
  REQUIRE(app.run({"--kind", "files", "--backup-root", root}).exit_code == 0);
  REQUIRE(app.run({"--kind", "db", "--backup-root", root}).exit_code == 0);
  auto tree = snapshot(app.prod);
  auto sums = checksums(db, {"ledger", "parishes"});
  auto files_job = db.scalar("SELECT id FROM backup_jobs WHERE kind = 'files'");
  auto db_job = db.scalar("SELECT id FROM backup_jobs WHERE kind = 'db'");

  auto files = app.restore({"files", "--from", files_job, "--to", app.dir / "r"});
  INFO(files.err);
  REQUIRE(files.exit_code == 0);
  CHECK(snapshot(app.dir / "r/prod") == tree);
  // A files job has no dump, a db job no tree: said plainly, nothing half-done.
  auto no_dump = app.restore({"db", "--from", files_job, "--to-file", app.dir / "x.sql"});
  CHECK(no_dump.exit_code == 2);
  CHECK(no_dump.err.find("has no database artifact") != std::string::npos);

  test::TestCatalog fresh;
  auto load = app.restore({"db", "--from", db_job, "--database", fresh.name()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(checksums(fresh, {"ledger", "parishes"}) == sums);
  auto to_file = app.restore({"db", "--from", db_job, "--to-file", app.dir / "dump.sql"});
  REQUIRE(to_file.exit_code == 0);
  CHECK(test::read_text(app.dir / "dump.sql").find("-- Dump completed") != std::string::npos);
  CHECK(test::shell("stat -c %a " + util::shell_quote(app.dir / "dump.sql")) == "600\n");
  // Each restore that ran is in backup_restores, its total the artifact it read, all of it read
  // (the one refused for want of a dump too, failed).
  CHECK(db.scalar("SELECT GROUP_CONCAT(CONCAT_WS(':', r.what, r.status, r.percent, "
                  "r.bytes_processed = a.file_size, r.bytes_total = a.file_size) ORDER BY "
                  "r.what SEPARATOR ' ') FROM backup_restores r JOIN "
                  "backup_artifacts a ON a.job_id = r.source_job_id") ==
        "files:success:100.0:1:1 db:success:100.0:1:1 db:success:100.0:1:1"); // enum order
}

TEST_CASE("restore: at a terminal a restore shows its progress and clears it, in a pipe nothing") {
  test::TestCatalog db;
  SampleApp app(db);
  // Big enough that a restore takes a few progress updates.
  (void)test::shell("head -c 24000000 /dev/urandom > " + util::shell_quote(app.prod + "/big.bin"));
  REQUIRE(app.run().exit_code == 0);
  REQUIRE(app.run({"--kind", "both", "--backup-root", app.dir / "legacy"}).exit_code == 0);
  auto borg_job = db.scalar("SELECT id FROM backup_jobs WHERE kind = 'borg'");
  auto legacy_job = db.scalar("SELECT id FROM backup_jobs WHERE kind = 'both'");
  auto a = app.args({"files", "--from", borg_job, "--to", app.dir / "borg-tty"});

  auto borg = test::run_tool_on_terminal("om-backup-restore", a, app.env());
  INFO(borg.out);
  REQUIRE(borg.exit_code == 0);
  CHECK(borg.out.find("% Extracting: ") != std::string::npos);
  CHECK(borg.out.ends_with("\r\033[K")); // the line is cleared at the end
  CHECK(fs::file_size(app.dir / "borg-tty/prod/big.bin") == 24000000);

  auto legacy = test::run_tool_on_terminal(
      "om-backup-restore", app.args({"files", "--from", legacy_job, "--to", app.dir / "tar-tty"}),
      app.env());
  INFO(legacy.out);
  REQUIRE(legacy.exit_code == 0);
  CHECK(legacy.out.find("\rrestoring files-") != std::string::npos);
  CHECK(legacy.out.find("% of ") != std::string::npos);
  CHECK(legacy.out.ends_with("\r\033[K"));
  CHECK(fs::file_size(app.dir / "tar-tty/prod/big.bin") == 24000000);

  auto dump = test::run_tool_on_terminal(
      "om-backup-restore", app.args({"db", "--from", borg_job, "--to-file", app.dir / "dump.sql"}),
      app.env());
  INFO(dump.out);
  REQUIRE(dump.exit_code == 0);
  CHECK(dump.out.find("Extracting: ") != std::string::npos);
  CHECK(test::read_text(app.dir / "dump.sql").find("-- Dump completed") != std::string::npos);

  // From cron or a pipe: not a byte of it.
  auto quiet = app.restore({"files", "--from", legacy_job, "--to", app.dir / "tar-pipe"});
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out.empty());
}
