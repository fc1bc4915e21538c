#include "support/catch.hpp"

#include <filesystem>
#include <sys/mount.h>
#include <sys/stat.h>

#include <om/proc/run.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); ++it)
    out.push_back(it->path().string());
  return out;
}

std::string legacy_root(const SampleApp& app) {
  return app.dir / "legacy";
}

test::ToolResult run_legacy(const SampleApp& app, const std::string& kind,
                            std::vector<std::string> extra = {}) {
  extra.insert(extra.begin(), {"--kind", kind, "--backup-root", legacy_root(app)});
  return app.run(extra);
}

// Runs a legacy backup of `kind` into a 1 MiB tmpfs; `left` gets what is on it afterwards.
test::ToolResult run_on_small_disk(const SampleApp& app, const std::string& kind,
                                   std::vector<std::string>& left) {
  auto small = app.dir / "small";
  fs::create_directories(small);
  REQUIRE(::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") == 0);
  auto r = run_legacy(app, kind, {"--backup-root", small, "--compression-level", "1"});
  left = files_under(small);
  ::umount(small.c_str());
  return r;
}

} // namespace

TEST_CASE(
    "legacy both: two artifacts whose rows agree with the files, a tree and a dump that restore") {
  test::TestCatalog db;
  SampleApp app(db);
  db.exec("CREATE TABLE notes (id INT PRIMARY KEY AUTO_INCREMENT, body TEXT CHARACTER SET utf8mb4, "
          "raw VARBINARY(16))");
  db.exec(
      "INSERT INTO notes (body, raw) VALUES ('Христос воскресе ☦', X'00FF00FF'), ('plain', NULL)");
  auto r = run_legacy(app, "both");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(db.scalar("SELECT CONCAT(kind, ' ', status) FROM backup_jobs") == "both success");
  // Its progress row shows the end: the dump was the last phase, with the bytes it wrote.
  CHECK(db.scalar("SELECT CONCAT_WS('|', status, phase, percent, compressed_bytes > 0) FROM "
                  "backup_job_progress") == "success|done|100.0|1");
  auto rows =
      db.sql().query("SELECT artifact_type, file_path, file_size, sha256, manifest_path FROM "
                     "backup_artifacts ORDER BY CAST(artifact_type AS CHAR)");
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  for (const auto& row : *rows) {
    auto path = row.text(1);
    CHECK(test::shell("sha256sum " + util::shell_quote(path) + " | cut -d' ' -f1") ==
          row.text(3) + "\n");
    CHECK(test::shell("stat -c %s " + util::shell_quote(path)) == row.text(2) + "\n");
    CHECK(test::shell("stat -c %a " + util::shell_quote(path)) == "600\n");
    CHECK(test::shell("stat -c %a " + util::shell_quote(fs::path(path).parent_path().string())) ==
          "700\n");
    auto manifest = test::read_text(row.text(4));
    CHECK(manifest.find("\"sha256\":\"" + row.text(3) + "\"") != std::string::npos);
  }
  const auto& dump = (*rows)[0];  // database
  const auto& files = (*rows)[1]; // files
  CHECK(fs::path(dump.text(1)).filename().string().starts_with("db-" + db.name() + "-"));
  CHECK(fs::path(files.text(1)).filename().string().starts_with("files-"));
  CHECK(test::read_text(dump.text(4)).find("\"table_count\":") != std::string::npos);
  CHECK(test::manifest_problems({dump.text(4), files.text(4)}).empty());

  auto listing = test::shell("tar tzf " + util::shell_quote(files.text(1)));
  CHECK(listing.find("prod/server/index.js") != std::string::npos);
  CHECK(listing.find("prod/uploads/records/baptism 1.pdf") != std::string::npos);
  CHECK(listing.find("node_modules") == std::string::npos);

  // The dump restores into an empty database with identical tables.
  test::TestCatalog restored;
  (void)test::shell("gunzip -c " + util::shell_quote(dump.text(1)) +
                    " | mariadb --socket=" + test::test_db_socket() + " -uroot " + restored.name());
  auto checksum = [](test::TestCatalog& c, const std::string& table) {
    auto sums = c.sql().query("CHECKSUM TABLE " + table + " EXTENDED");
    REQUIRE(sums);
    REQUIRE(sums->size() == 1);
    return (*sums)[0].text(1);
  };
  for (const std::string table : {"notes", "parishes", "backup_settings"}) {
    INFO(table);
    CHECK(!checksum(db, table).empty());
    CHECK(checksum(db, table) == checksum(restored, table));
  }
}

TEST_CASE("legacy: odd names, symlinks and unreadable files - the last a warning with exit 1") {
  test::TestCatalog db;
  SampleApp app(db);
  test::write_text(app.prod + "/odd/with space.txt", "space");
  test::write_text(app.prod + "/odd/with\nnewline.txt", "newline");
  test::write_text(app.prod + "/odd/latin1-\xe9t\xe9.txt", "bytes");
  fs::create_symlink("../server/index.js", app.prod + "/odd/link-to-index");
  test::write_text(app.prod + "/secret/locked.txt", "locked");
  ::chmod((app.prod + "/secret/locked.txt").c_str(), 0000);

  auto r = app.run_unprivileged({"--kind", "files", "--backup-root", legacy_root(app)});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("warning: ") != std::string::npos);
  CHECK(r.err.find("locked.txt: Cannot open: Permission denied") != std::string::npos);
  CHECK(db.scalar("SELECT CONCAT(status, ' ', LEFT(error, 8)) FROM backup_jobs") ==
        "success warning:");

  auto path = db.scalar("SELECT file_path FROM backup_artifacts");
  auto listing = test::shell("tar tzf " + util::shell_quote(path));
  CHECK(listing.find("prod/odd/with space.txt") != std::string::npos);
  CHECK(listing.find("prod/odd/with\\nnewline.txt") != std::string::npos);
  CHECK(listing.find("prod/odd/latin1-") != std::string::npos);
  auto verbose = test::shell("tar tvzf " + util::shell_quote(path) + " prod/odd/link-to-index");
  CHECK(verbose.find("prod/odd/link-to-index -> ../server/index.js") != std::string::npos);
  // Extracted, the odd names come back byte for byte.
  (void)test::shell("mkdir -p " + app.dir / "x" + " && tar xzf " + util::shell_quote(path) +
                    " -C " + app.dir / "x");
  CHECK(test::read_text(app.dir / "x/prod/odd/with\nnewline.txt") == "newline");
  CHECK(test::read_text(app.dir / "x/prod/odd/latin1-\xe9t\xe9.txt") == "bytes");
}

TEST_CASE(
    "legacy: missing source, failing mysqldump and a full disk leave no file and no artifact") {
  test::TestCatalog db;
  SampleApp app(db);
  auto missing = run_legacy(app, "files", {"--prod-root", app.dir / "nope"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("source " + app.dir / "nope cannot be read") != std::string::npos);

  test::write_text(app.dir / "bad.cnf", "[client]\nsocket=" + test::test_db_socket() +
                                            "\nuser=nobody_here\npassword=nope\n");
  auto denied = run_legacy(app, "both", {"--app-db-defaults-file", app.dir / "bad.cnf"});
  CHECK(denied.exit_code == 2);
  CHECK(denied.err.find("database dump failed") != std::string::npos);
  CHECK(denied.err.find("Access denied") != std::string::npos);
  CHECK(files_under(legacy_root(app)).empty());

  // A 1 MiB filesystem cannot hold 8 MiB of random data.
  test::write_text(app.prod + "/big.bin",
                   test::shell("head -c 8388608 /dev/urandom | base64 -w0 | head -c 8388608"));
  std::vector<std::string> left;
  auto full = run_on_small_disk(app, "files", left);
  CHECK(full.exit_code == 2);
  CHECK(full.err.find("No space left on device") != std::string::npos);
  CHECK(left.empty());

  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'failed'") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
}

TEST_CASE(
    "legacy both: a disk that fills during the dump leaves no file at all, not the finished tar") {
  test::TestCatalog db;
  SampleApp app(db);
  // About 2 MiB of random rows: the dump cannot fit in what the files part leaves free.
  db.exec("CREATE TABLE scans (id INT AUTO_INCREMENT PRIMARY KEY, page BLOB)");
  for (int half = 0; half < 2; ++half)
    db.exec("INSERT INTO scans (page) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
            "FROM n WHERE i < 1000) SELECT RANDOM_BYTES(1024) FROM n");
  std::vector<std::string> left;
  auto full = run_on_small_disk(app, "both", left);
  INFO(full.err);
  CHECK(full.exit_code == 2);
  CHECK(full.err.find("No space left on device") != std::string::npos);
  CHECK(left.empty()); // neither files-*.tar.gz nor db-*.sql.gz, nor a part of one, nor a manifest
  CHECK(db.scalar("SELECT status FROM backup_jobs") == "failed");
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 0);
}
