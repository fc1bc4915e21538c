#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <simdjson.h>

#include <om/util/strings.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;

namespace {

// The tree's path as the archive names it (no leading /).
std::string in_archive(const SampleApp& app, const std::string& rel) {
  return app.prod.substr(1) + "/" + rel;
}

// The three changes every case makes: one file grows, one is new, one goes.
void change_three(const SampleApp& app) {
  test::write_text(app.prod + "/server/index.js", "console.log('orthodoxmetrics, v2');\n");
  test::write_text(app.prod + "/server/new route.js", "export default 42;\n");
  std::filesystem::remove(app.prod + "/front-end/dist/app.js");
}

struct Row {
  std::string path;
  std::string change;
  std::optional<std::int64_t> before;
  std::optional<std::int64_t> after;
};

std::vector<Row> rows_of_json_lines(const std::string& out) {
  std::vector<Row> rows;
  simdjson::dom::parser parser;
  for (const auto& line : test::lines_of(out)) {
    simdjson::dom::object o = parser.parse(line);
    Row r;
    r.path = std::string(std::string_view(o["path"].get_string()));
    r.change = std::string(std::string_view(o["change"].get_string()));
    if (!o["size_before"].is_null())
      r.before = o["size_before"].get_int64();
    if (!o["size_after"].is_null())
      r.after = o["size_after"].get_int64();
    rows.push_back(std::move(r));
  }
  return rows;
}

// path → change, for comparing whole listings.
std::set<std::pair<std::string, std::string>> changes_of(const std::vector<Row>& rows) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& r : rows)
    out.emplace(r.path, r.change);
  return out;
}

// om-backup-report with the catalog and the repository (for archive names and borg diff).
test::ToolResult report(const SampleApp& app, std::vector<std::string> args) {
  auto a = app.db.tool_args();
  a.insert(a.end(), {"--repo", app.repo});
  a.insert(a.end(), args.begin(), args.end());
  return test::run_tool("om-backup-report", a, app.env());
}

} // namespace

TEST_CASE("changes: one file changed, one added, one removed - recorded 1/1/1 and diff lists "
          "exactly those three (borg)") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::vector<std::string> no_db = {"--include-database", "false"};
  auto first = app.run(no_db);
  REQUIRE(first.exit_code == 0);
  const auto job1 = db.scalar("SELECT id FROM backup_jobs");
  CHECK(db.scalar("SELECT CONCAT_WS('|', basis, added_files, modified_files, removed_files) "
                  "FROM backup_job_changes WHERE job_id = '" +
                  job1 + "'") == "first|3|0|0");
  change_three(app);
  auto second = app.run(no_db);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  const auto job2 = db.scalar("SELECT id FROM backup_jobs WHERE id <> '" + job1 + "'");

  // The second backup of a target has no file index yet: borg diff tells, once.
  CHECK(db.scalar("SELECT CONCAT_WS('|', target, basis, added_files, added_bytes, "
                  "modified_files, modified_bytes, removed_files, removed_bytes) "
                  "FROM backup_job_changes WHERE job_id = '" +
                  job2 + "'") == "local|diff|1|19|1|36|1|20000");
  CHECK(
      db.scalar("SELECT previous_archive FROM backup_job_changes WHERE job_id = '" + job2 + "'") ==
      db.scalar("SELECT archive_name FROM backup_job_runs WHERE job_id = '" + job1 + "'"));
  const std::set<std::pair<std::string, std::string>> expected = {
      {in_archive(app, "server/index.js"), "modified"},
      {in_archive(app, "server/new route.js"), "added"},
      {in_archive(app, "front-end/dist/app.js"), "removed"}};

  // report job shows them, as JSON too.
  auto job = report(app, {"job", job2, "--json"});
  REQUIRE(job.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::object parsed = parser.parse(job.out);
  simdjson::dom::array changes = parsed["changes"];
  REQUIRE(changes.size() == 1);
  std::vector<Row> largest;
  for (simdjson::dom::object c : changes.at(0)["largest_changes"].get_array())
    largest.push_back({std::string(std::string_view(c["path"].get_string())),
                       std::string(std::string_view(c["change"].get_string())), std::nullopt,
                       std::nullopt});
  CHECK(changes_of(largest) == expected);
  CHECK(largest.front().path == in_archive(app, "front-end/dist/app.js")); // the largest

  // diff between the two jobs, and of the second alone (its previous): exactly those three.
  auto diff = report(app, {"diff", job1, job2, "--json"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  auto rows = rows_of_json_lines(diff.out);
  CHECK(rows.size() == 3);
  CHECK(changes_of(rows) == expected);
  for (const auto& r : rows) {
    if (r.change == "added")
      CHECK(r.after == 19);
    if (r.change == "removed")
      CHECK(r.before == 20000);
  }
  auto alone = report(app, {"diff", job2, "--json"});
  REQUIRE(alone.exit_code == 0);
  CHECK(changes_of(rows_of_json_lines(alone.out)) == expected);
  // Archives by name, in --repo (the local target).
  auto by_name = report(
      app,
      {"diff", db.scalar("SELECT archive_name FROM backup_job_runs WHERE job_id = '" + job1 + "'"),
       db.scalar("SELECT archive_name FROM backup_job_runs WHERE job_id = '" + job2 + "'"),
       "--json"});
  INFO(by_name.err);
  CHECK(changes_of(rows_of_json_lines(by_name.out)) == expected);
  // --all adds the folders whose timestamps changed; --path narrows; CSV has a header.
  auto all = report(app, {"diff", job2, "--json", "--all"});
  REQUIRE(all.exit_code == 0);
  auto all_rows = rows_of_json_lines(all.out);
  CHECK(all_rows.size() > 3);
  CHECK(std::ranges::any_of(all_rows, [&](const Row& r) {
    return r.path == in_archive(app, "server") && r.change == "time";
  }));
  auto narrowed = report(app, {"diff", job2, "--json", "--path", app.prod + "/server"});
  CHECK(changes_of(rows_of_json_lines(narrowed.out)) ==
        std::set<std::pair<std::string, std::string>>{
            {in_archive(app, "server/index.js"), "modified"},
            {in_archive(app, "server/new route.js"), "added"}});
  auto csv = report(app, {"diff", job2, "--format", "csv"});
  CHECK(csv.out.starts_with("path,change,size_before,size_after\r\n")); // RFC 4180
  CHECK(test::lines_of(csv.out).size() == 4);

  // From then on borg names only what is new or changed, and the file index tells the rest.
  test::write_text(app.prod + "/server/index.js", "console.log('orthodoxmetrics, v3!');\n");
  test::write_text(app.prod + "/server/another.js", "1;\n");
  std::filesystem::remove(app.prod + "/uploads/records/baptism 1.pdf");
  auto third = app.run(no_db);
  REQUIRE(third.exit_code == 0);
  auto job3 = db.scalar("SELECT job_id FROM backup_job_runs ORDER BY archive_name DESC LIMIT 1");
  CHECK(db.scalar("SELECT CONCAT_WS('|', basis, added_files, added_bytes, modified_files, "
                  "modified_bytes, removed_files, removed_bytes) FROM backup_job_changes WHERE "
                  "job_id = '" +
                  job3 + "'") == "files|1|3|1|37|1|16");
  // Without the file index (another state folder, say), the next backup asks borg diff again.
  std::filesystem::remove(app.state + "/file-index/local");
  test::write_text(app.prod + "/server/index.js", "console.log('orthodoxmetrics, v4!!');\n");
  auto fourth = app.run(no_db);
  REQUIRE(fourth.exit_code == 0);
  CHECK(db.scalar("SELECT CONCAT_WS('|', basis, added_files, modified_files, modified_bytes, "
                  "removed_files) FROM backup_job_changes c JOIN backup_job_runs r ON "
                  "r.job_id = c.job_id ORDER BY r.archive_name DESC LIMIT 1") == "diff|0|1|38|0");

  // A job whose archive was pruned cannot be compared: exit 2, naming it.
  auto archive1 =
      db.scalar("SELECT archive_name FROM backup_job_runs WHERE job_id = '" + job1 + "'");
  (void)app.borg({"delete", app.repo + "::" + archive1});
  // Pruned by a script with a retention that keeps the newest only (one that om-backup's would
  // keep is an archive that vanished: docs/check.md).
  auto synced = test::run_tool("om-backup-sync",
                               app.args({"--keep-hourly", "1", "--keep-daily", "0", "--keep-weekly",
                                         "0", "--keep-monthly", "0"}),
                               app.env());
  REQUIRE(synced.exit_code == 0);
  auto gone = report(app, {"diff", job1, job2});
  CHECK(gone.exit_code == 2);
  CHECK(gone.err.find("job " + job1 + " has no archive any more") != std::string::npos);
  CHECK(test::lines_of(gone.err).size() == 1);
  CHECK(gone.out.empty());
}

TEST_CASE("changes: two legacy files backups are compared from their tar listings - exactly "
          "the three paths") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::string root = app.dir / "legacy";
  const std::vector<std::string> files = {"--kind", "files", "--backup-root", root};
  auto first = app.run(files);
  REQUIRE(first.exit_code == 0);
  const auto job1 = db.scalar("SELECT id FROM backup_jobs");
  change_three(app);
  auto second = app.run(files);
  REQUIRE(second.exit_code == 0);
  const auto job2 = db.scalar("SELECT id FROM backup_jobs WHERE id <> '" + job1 + "'");

  // Members are named <tree's folder name>/...
  const std::string base = std::filesystem::path(app.prod).filename().string();
  auto diff = report(app, {"diff", job1, job2, "--json"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  auto rows = rows_of_json_lines(diff.out);
  CHECK(changes_of(rows) == std::set<std::pair<std::string, std::string>>{
                                {base + "/server/index.js", "modified"},
                                {base + "/server/new route.js", "added"},
                                {base + "/front-end/dist/app.js", "removed"}});
  for (const auto& r : rows) {
    if (r.change == "modified") {
      CHECK(r.before == 32);
      CHECK(r.after == 36);
    }
  }
  auto alone = report(app, {"diff", job2, "--json"});
  REQUIRE(alone.exit_code == 0);
  CHECK(changes_of(rows_of_json_lines(alone.out)) == changes_of(rows));

  // A borg archive and a tar are not compared; a job that holds no files neither.
  auto borg = app.run({"--include-database", "false"});
  REQUIRE(borg.exit_code == 0);
  auto borg_job = db.scalar("SELECT id FROM backup_jobs WHERE kind = 'borg'");
  auto mixed = report(app, {"diff", job1, borg_job});
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.err.find("not compared") != std::string::npos);
}
