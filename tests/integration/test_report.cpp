#include "support/catch.hpp"

#include <cmath>

#include <simdjson.h>

#include <om/proc/run.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

#include "support/sample_app.hpp"

using namespace om;

namespace {

// A history with every kind and status, at known times relative to now.
void fill_history(test::TestCatalog& db) {
  REQUIRE(test::run_tool("om-backup-migrate", db.tool_args()).exit_code == 0);
  auto job = [&](const char* id, const char* kind, const char* status, int hours_ago,
                 const char* error, int duration_ms) {
    db.exec(std::string("INSERT INTO backup_jobs (id, kind, status, requested_by, started_at, "
                        "finished_at, duration_ms, error, created_at) VALUES ('") +
            id + "', '" + kind + "', '" + status + "', 'cron', NOW() - INTERVAL " +
            std::to_string(hours_ago) + " HOUR, " +
            (std::string(status) == "running"
                 ? "NULL"
                 : "NOW() - INTERVAL " + std::to_string(hours_ago) + " HOUR + INTERVAL 1 MINUTE") +
            ", " + std::to_string(duration_ms) + ", " +
            (error ? "'" + std::string(error) + "'" : "NULL") + ", NOW() - INTERVAL " +
            std::to_string(hours_ago) + " HOUR)");
  };
  job("00000000-0000-4000-8000-000000000001", "borg", "success", 50, nullptr, 60000);
  job("00000000-0000-4000-8000-000000000002", "borg", "failed", 30, "borg create: lock timeout",
      1000);
  job("00000000-0000-4000-8000-000000000003", "borg", "success", 2, nullptr, 30000);
  job("00000000-0000-4000-8000-000000000004", "files", "success", 5, "warning: a, \"quoted\"",
      2000);
  job("00000000-0000-4000-8000-000000000005", "db", "cancelled", 4, "interrupted by Terminated",
      500);
  job("00000000-0000-4000-8000-000000000006", "both", "queued", 1, nullptr, 0);
  db.exec("INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256) "
          "VALUES ('a1', '00000000-0000-4000-8000-000000000003', 'borg', '/r::a', 1000, 'x'), "
          "('a2', '00000000-0000-4000-8000-000000000004', 'files', '/f.tar.gz', 250, 'y')");
}

test::ToolResult report(test::TestCatalog& db, std::vector<std::string> args) {
  auto a = db.tool_args();
  a.insert(a.end(), args.begin(), args.end());
  return test::run_tool("om-backup-report", a);
}

std::string python(const std::string& program, const std::string& input) {
  proc::Command c;
  c.argv = {"/usr/bin/python3", "-c", program}; // Debian's, with python3-prometheus-client
  proc::Feed feed;
  feed.write(input);
  feed.close();
  c.stdin_feed = &feed;
  c.timeout = std::chrono::minutes(1);
  auto r = proc::run(c);
  REQUIRE(r);
  INFO(r->stderr_text);
  REQUIRE(r->success());
  return r->stdout_text;
}

} // namespace

TEST_CASE("report jobs: newest first with artifacts, as JSON and CSV field by field") {
  test::TestCatalog db;
  fill_history(db);
  auto json = report(db, {"jobs", "--json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  simdjson::dom::parser parser;
  auto jobs = parser.parse(json.out).get_array();
  REQUIRE(jobs.size() == 6);
  auto first = jobs.at(0);
  CHECK(std::string_view(first["id"]) == "00000000-0000-4000-8000-000000000006");
  CHECK(std::string_view(first["status"]) == "queued");
  auto third = jobs.at(1); // 2 h ago, after the queued one of 1 h ago
  CHECK(std::string_view(third["id"]) == "00000000-0000-4000-8000-000000000003");
  CHECK(int64_t(third["artifact_count"]) == 1);
  CHECK(int64_t(third["total_size"]) == 1000);
  CHECK(int64_t(third["duration_ms"]) == 30000);
  CHECK(third["error"].is_null());
  std::string_view started = third["started_at"];
  CHECK(started.size() == 25); // 2026-11-26T15:00:00+00:00
  CHECK(started[10] == 'T');
  CHECK((started[19] == '+' || started[19] == '-'));

  auto filtered = report(
      db, {"jobs", "--kind", "borg", "--status", "success", "--since", "24h", "--format", "json"});
  REQUIRE(filtered.exit_code == 0);
  CHECK(parser.parse(filtered.out).get_array().size() == 1);

  auto csv = report(db, {"jobs", "--format", "csv", "--limit", "4"});
  REQUIRE(csv.exit_code == 0);
  auto parsed = python("import csv,sys\nrows=list(csv.DictReader(sys.stdin))\n"
                       "print(len(rows)); print(rows[3]['error']); print(rows[3]['kind'])",
                       csv.out);
  CHECK(parsed == "4\nwarning: a, \"quoted\"\nfiles\n");
}

TEST_CASE("report job, stats and metrics parsed by their consumers") {
  test::TestCatalog db;
  fill_history(db);
  auto one = report(db, {"job", "00000000-0000-4000-8000-000000000004", "--json"});
  REQUIRE(one.exit_code == 0);
  simdjson::dom::parser parser;
  auto job = parser.parse(one.out);
  CHECK(std::string_view(job["kind"]) == "files");
  CHECK(std::string_view(job["artifacts"].at(0)["file_path"]) == "/f.tar.gz");

  auto missing = report(db, {"job", "00000000-0000-4000-8000-00000000dead"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err ==
        "om-backup-report: error: no job 00000000-0000-4000-8000-00000000dead in backup_jobs\n");

  auto stats = report(db, {"stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  auto stats_doc = parser.parse(stats.out);
  CHECK(stats_doc["repository"].is_null()); // no repository here: left out, not an error
  auto kinds = stats_doc["kinds"].get_array();
  bool saw_borg = false;
  for (auto k : kinds) {
    if (std::string_view(k["kind"]) != "borg")
      continue;
    saw_borg = true;
    CHECK(int64_t(k["total"]) == 3);
    CHECK(int64_t(k["success"]) == 2);
    CHECK(int64_t(k["failed"]) == 1);
    CHECK(double(k["success_rate"]) == Approx(2.0 / 3.0));
    CHECK(int64_t(k["duration_min_ms"]) == 30000);
    CHECK(int64_t(k["duration_max_ms"]) == 60000);
    CHECK(int64_t(k["duration_median_ms"]) == 45000);
    CHECK(int64_t(k["bytes"]) == 1000);
  }
  CHECK(saw_borg);

  auto metrics = report(db, {"metrics"});
  REQUIRE(metrics.exit_code == 0);
  auto samples = python(
      "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\n"
      "for f in p(sys.stdin.read()):\n"
      "  for s in f.samples:\n"
      "    print(s.name, s.labels.get('kind',''), s.labels.get('status',''), s.value)\n",
      metrics.out);
  CHECK(samples.find("om_backup_jobs_total borg failed 1.0") != std::string::npos);
  CHECK(samples.find("om_backup_jobs_total borg success 2.0") != std::string::npos);
  CHECK(samples.find("om_backup_last_duration_seconds borg  30.0") != std::string::npos);
  CHECK(samples.find("om_backup_last_size_bytes files  250.0") != std::string::npos);
  CHECK(samples.find("om_backup_running borg  0.0") != std::string::npos);
  CHECK(samples.find("om_backup_last_success_timestamp_seconds borg") != std::string::npos);

  test::TempDir dir;
  auto to_file = report(db, {"metrics", "--output", dir / "om.prom"});
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(test::read_text(dir / "om.prom") == metrics.out);
}

TEST_CASE("report check returns each of the four monitoring codes") {
  test::TestCatalog db;
  fill_history(db);
  auto ok = report(db, {"check", "--kind", "borg"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.starts_with("OM-BACKUP OK - last successful borg backup 2h ago |"));

  auto warn = report(db, {"check", "--kind", "files"});
  CHECK(warn.exit_code == 1);
  CHECK(warn.out.starts_with("OM-BACKUP WARNING - last files backup had warnings"));

  auto too_old = report(db, {"check", "--kind", "borg", "--max-age", "1h"});
  CHECK(too_old.exit_code == 2);
  CHECK(too_old.out.find("CRITICAL - last successful borg backup 2h ago (max 1h)") !=
        std::string::npos);

  db.exec("INSERT INTO backup_jobs (id, kind, status, created_at) VALUES "
          "('00000000-0000-4000-8000-000000000007', 'borg', 'failed', NOW())");
  auto failed = report(db, {"check", "--kind", "borg"});
  CHECK(failed.exit_code == 2);
  CHECK(failed.out.find("last borg backup failed") != std::string::npos);

  auto unknown = test::run_tool("om-backup-report", {"--db-socket", "/nonexistent.sock", "check"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.out.starts_with("OM-BACKUP UNKNOWN - connecting to catalog"));
  auto bad_age = report(db, {"check", "--max-age", "soon"});
  CHECK(bad_age.exit_code == 3);
}

TEST_CASE("report: bad input gets one line and its exit code") {
  test::TestCatalog db;
  fill_history(db);
  auto since = report(db, {"jobs", "--since", "yesterday"});
  CHECK(since.exit_code == 64);
  CHECK(since.err.find("invalid time 'yesterday'") != std::string::npos);
  auto format = report(db, {"jobs", "--format", "xml"});
  CHECK(format.exit_code == 64);
  auto none = report(db, {});
  CHECK(none.exit_code == 64);
}

TEST_CASE("report archives and stats with a real repository: which job made each archive") {
  test::TestCatalog db;
  test::SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  auto job = db.scalar("SELECT id FROM backup_jobs");
  // An archive made by hand, which the catalog does not know until sync.
  (void)test::shell("cd " + util::shell_quote(app.prod) +
                    " && BORG_PASSPHRASE=" + util::shell_quote(app.passphrase) +
                    " BORG_BASE_DIR=" + util::shell_quote(app.dir / "borg-home") + " borg create " +
                    util::shell_quote(app.repo + "::by-hand") + " server");
  auto args = [&](std::vector<std::string> extra) {
    auto a = db.tool_args();
    a.insert(a.end(), {"--repo", app.repo});
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };

  auto json = test::run_tool("om-backup-report", args({"archives", "--json"}), app.env());
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  simdjson::dom::parser parser;
  auto archives = parser.parse(json.out).get_array();
  REQUIRE(archives.size() == 2);
  auto newest = archives.at(0); // newest first
  CHECK(std::string_view(newest["name"]) == "by-hand");
  CHECK(newest["job_id"].is_null());
  CHECK(std::string_view(newest["id"]).size() == 64);
  auto ours = archives.at(1);
  CHECK(std::string_view(ours["job_id"]) == job);
  CHECK(std::string_view(ours["status"]) == "success");
  CHECK(std::string_view(ours["id"]) == db.scalar("SELECT sha256 FROM backup_artifacts"));
  CHECK(std::string_view(ours["start"]).size() == 25);

  auto table = test::run_tool("om-backup-report", args({"archives"}), app.env());
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("1 archives are not in the catalog: run om-backup-sync") !=
        std::string::npos);

  auto stats = test::run_tool("om-backup-report", args({"stats", "--json"}), app.env());
  INFO(stats.err);
  REQUIRE(stats.exit_code == 0);
  auto repo = parser.parse(stats.out)["repository"];
  REQUIRE(repo.is_object());
  CHECK(std::string_view(repo["location"]) == app.repo);
  CHECK(std::string_view(repo["encryption"]) == "repokey");
  // The same numbers borg itself gives.
  simdjson::dom::parser borg_parser;
  auto direct =
      borg_parser.parse(test::shell("BORG_PASSPHRASE=" + util::shell_quote(app.passphrase) +
                                    " BORG_BASE_DIR=" + util::shell_quote(app.dir / "borg-home") +
                                    " borg info --json " + util::shell_quote(app.repo)));
  auto cache = direct["cache"]["stats"];
  CHECK(int64_t(repo["original_size"]) == int64_t(cache["total_size"]));
  CHECK(int64_t(repo["compressed_size"]) == int64_t(cache["total_csize"]));
  CHECK(int64_t(repo["deduplicated_size"]) == int64_t(cache["unique_csize"]));
  CHECK(int64_t(repo["unique_chunks"]) == int64_t(cache["total_unique_chunks"]));
  CHECK(int64_t(repo["original_size"]) > 0);
  auto stats_table = test::run_tool("om-backup-report", args({"stats"}), app.env());
  CHECK(stats_table.out.find("\nrepository\n") != std::string::npos);

  // Without the passphrase: stats still answers from the catalog, archives says why not.
  auto locked =
      test::run_tool("om-backup-report", args({"stats", "--json"}), {}, {"BORG_PASSPHRASE"});
  REQUIRE(locked.exit_code == 0);
  CHECK(parser.parse(locked.out)["repository"].is_null());
  auto refused = test::run_tool("om-backup-report", args({"archives"}), {}, {"BORG_PASSPHRASE"});
  CHECK(refused.exit_code == 78);
  CHECK(refused.err.find("passphrase") != std::string::npos);
}

TEST_CASE("report stats: median and p95 read from the index equal MariaDB's PERCENTILE_CONT") {
  test::TestCatalog db;
  REQUIRE(test::run_tool("om-backup-migrate", db.tool_args()).exit_code == 0);
  // 37 successful db jobs with scattered durations (and ties), some failures and a NULL duration.
  for (int i = 0; i < 45; ++i) {
    auto status = i % 9 == 8 ? "failed" : "success";
    auto duration =
        i == 3 ? std::string("NULL") : std::to_string((i * 7919) % 1000 + (i % 5 == 0 ? 500 : 0));
    db.exec("INSERT INTO backup_jobs (id, kind, status, duration_ms, created_at) VALUES "
            "(UUID(), 'db', '" +
            std::string(status) + "', " + duration + ", NOW() - INTERVAL " + std::to_string(i) +
            " HOUR - INTERVAL 30 MINUTE)"); // none near a --since boundary
  }
  auto expected = [&](double p, const std::string& window) {
    return std::stod(
        db.scalar("SELECT PERCENTILE_CONT(" + std::to_string(p) +
                  ") WITHIN GROUP (ORDER BY "
                  "duration_ms) OVER () FROM backup_jobs WHERE kind = 'db' AND status = "
                  "'success' AND duration_ms IS NOT NULL" +
                  window + " LIMIT 1"));
  };
  // Ours is rounded to the millisecond.
  auto same = [](int64_t ours, double exact) {
    return std::abs(static_cast<double>(ours) - exact) <= 0.5 + 1e-6;
  };
  simdjson::dom::parser parser;
  auto all = report(db, {"stats", "--json"});
  REQUIRE(all.exit_code == 0);
  auto row = parser.parse(all.out)["kinds"].at(0);
  CHECK(same(int64_t(row["duration_median_ms"]), expected(0.5, "")));
  CHECK(same(int64_t(row["duration_p95_ms"]), expected(0.95, "")));
  CHECK(int64_t(row["success"]) == 40);
  CHECK(int64_t(row["failed"]) == 5);

  auto recent = report(db, {"stats", "--since", "20h", "--json"});
  REQUIRE(recent.exit_code == 0);
  auto window = parser.parse(recent.out)["kinds"].at(0);
  const std::string since = " AND created_at >= NOW() - INTERVAL 20 HOUR";
  CHECK(same(int64_t(window["duration_median_ms"]), expected(0.5, since)));
  CHECK(same(int64_t(window["duration_p95_ms"]), expected(0.95, since)));
}
