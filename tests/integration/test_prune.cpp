#include "support/catch.hpp"

#include <filesystem>
#include <set>

#include <om/borg/parse.hpp>
#include <om/proc/run.hpp>
#include <om/prune/retention.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;
namespace fs = std::filesystem;

namespace {

// Runs borg with a time zone and an unencrypted repository of the test's own.
std::string run_borg(const SampleApp& app, std::vector<std::string> args, const std::string& tz) {
  proc::Command c;
  c.argv = {"borg"};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.env_set = app.env();
  c.env_set["TZ"] = tz;
  c.env_set["BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK"] = "yes";
  c.timeout = std::chrono::minutes(2);
  auto r = proc::run(c);
  REQUIRE(r);
  INFO(r->stderr_text);
  REQUIRE(r->success());
  return r->stdout_text + r->stderr_text;
}

} // namespace

TEST_CASE("prune: the legacy policy keeps exactly what borg prune keeps, across DST, month ends, "
          "leap days and identical times") {
  test::TestCatalog db;
  SampleApp app(db, false);
  const std::string tz = "Europe/Berlin";
  // Irregular times (UTC, as borg create --timestamp takes them) around the awkward moments.
  std::vector<std::string> times;
  const char* anchors[] = {"2026-03-29T00:30:00", "2026-10-25T00:30:00", "2026-12-31T22:45:00",
                           "2028-02-28T23:30:00", "2027-01-31T23:10:00", "2026-11-30T23:59:00"};
  for (const char* anchor : anchors) {
    auto base = *util::parse_local_time(anchor, *util::find_zone("UTC"));
    for (int k = 0; k < 22; ++k) {
      // Steps of 20 min to 31 h, irregular: hour, day, week and month buckets all change.
      std::int64_t step = (k * 7919 % 23 + 1) * 1200 + (k % 5 == 0 ? 86400 : 0);
      base += step;
      times.push_back(util::format_time(base, *util::find_zone("UTC"), "%Y-%m-%dT%H:%M:%S"));
    }
  }
  times.push_back(times[10]); // identical timestamps
  times.push_back(times[10]);
  run_borg(app, {"init", "--encryption", "none", app.repo}, tz);
  test::write_text(app.dir / "src/f", "x");
  std::vector<prune::Candidate> candidates;
  for (std::size_t i = 0; i < times.size(); ++i) {
    auto name = "a" + std::to_string(1000 + i);
    run_borg(app, {"create", "--timestamp", times[i], app.repo + "::" + name, app.dir / "src"}, tz);
    candidates.push_back({name, *util::parse_local_time(times[i], *util::find_zone("UTC"))});
  }
  // borg's order for equal times is the order it lists them in: ours is creation order, and
  // borg lists by time, then creation, so the two agree.
  auto out = run_borg(app,
                      {"prune", "--dry-run", "--list", "--keep-hourly", "7", "--keep-daily", "9",
                       "--keep-weekly", "5", "--keep-monthly", "4", app.repo},
                      tz);
  std::set<std::string> borg_kept;
  std::set<std::string> borg_rules;
  for (auto line : util::split(out, '\n')) {
    if (!line.starts_with("Keeping archive (rule: "))
      continue;
    auto colon = line.find("):");
    auto rest = util::trim(line.substr(colon + 2));
    auto name = std::string(rest.substr(0, rest.find(' ')));
    borg_kept.insert(name);
    borg_rules.insert(name + " " + std::string(line.substr(23, colon - 23)));
  }
  auto decisions = prune::apply_retention(candidates, {7, 9, 5, 4}, *util::find_zone(tz));
  std::set<std::string> ours_kept;
  std::set<std::string> ours_rules;
  for (const auto& d : decisions) {
    if (d.keep) {
      ours_kept.insert(d.id);
      ours_rules.insert(d.id + " " + d.rule);
    }
  }
  CHECK(borg_kept.size() > 10);
  CHECK(borg_kept.size() < candidates.size());
  CHECK(ours_kept == borg_kept);
  CHECK(ours_rules == borg_rules);
}

TEST_CASE("prune: legacy files and rows go together, newest kept, events recorded") {
  test::TestCatalog db;
  SampleApp app(db);
  auto root = app.dir / "legacy";
  // Four days of `db` backups and one `both`, made by the real tool.
  for (int i = 0; i < 3; ++i)
    REQUIRE(app.run({"--kind", "db", "--backup-root", root}).exit_code == 0);
  REQUIRE(app.run({"--kind", "both", "--backup-root", root}).exit_code == 0);
  // Spread the db jobs over three days, oldest first.
  db.exec("UPDATE backup_jobs j JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n "
          "FROM backup_jobs WHERE kind = 'db') o ON o.id = j.id SET j.started_at = NOW() - "
          "INTERVAL (4 - o.n) DAY, j.created_at = NOW() - INTERVAL (4 - o.n) DAY");
  auto paths = db.sql().query("SELECT a.file_path FROM backup_artifacts a JOIN backup_jobs j ON "
                              "j.id = a.job_id WHERE j.kind = 'db' ORDER BY j.created_at");
  REQUIRE(paths);
  REQUIRE(paths->size() == 3);

  auto zero =
      test::run_tool("om-backup-prune",
                     app.args({"--kind", "legacy", "--backup-root", root, "--keep-hourly", "0",
                               "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0"}),
                     app.env());
  CHECK(zero.exit_code == 78);
  CHECK(zero.err.find("refusing to delete every backup") != std::string::npos);

  auto keep1 = std::vector<std::string>{"--kind",        "legacy", "--backup-root",  root,
                                        "--keep-hourly", "0",      "--keep-daily",   "1",
                                        "--keep-weekly", "0",      "--keep-monthly", "0"};
  auto dry_args = keep1;
  dry_args.insert(dry_args.end(), {"--dry-run", "--list"});
  auto dry = test::run_tool("om-backup-prune", app.args(dry_args), app.env());
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out.find("Keeping backup (rule: daily #1):") != std::string::npos);
  CHECK(dry.out.find("Keeping backup (rule: daily[oldest] #2):") == std::string::npos);
  CHECK(dry.out.find("Would prune:") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 5);

  // The oldest file is already gone by hand: its row goes too, without error.
  fs::remove((*paths)[0].text(0));
  auto real = test::run_tool("om-backup-prune", app.args(keep1), app.env());
  INFO(real.err);
  REQUIRE(real.exit_code == 0);
  CHECK_FALSE(fs::exists((*paths)[1].text(0)));
  CHECK(fs::exists((*paths)[2].text(0))); // the newest db backup
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts a JOIN backup_jobs j ON j.id = a.job_id "
                 "WHERE j.kind = 'db'") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts a JOIN backup_jobs j ON j.id = a.job_id "
                 "WHERE j.kind = 'both'") == 2);            // the only `both`: newest of its kind
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 4); // history stays
  CHECK(db.count("SELECT COUNT(*) FROM backup_prune_events WHERE store = 'legacy' AND tool = "
                 "'om-backup-prune' AND policy LIKE '%keep_daily=1%'") == 2);
  // A row naming a file outside --backup-root is never acted on: the file stays, warned about.
  auto outside = app.dir / "not-ours.sql.gz";
  test::write_text(outside, "keep me");
  db.exec("INSERT INTO backup_jobs (id, kind, status, started_at, created_at) VALUES "
          "('0d0d0d0d-0000-4000-8000-000000000001', 'db', 'success', NOW() - INTERVAL 30 DAY, "
          "NOW() - INTERVAL 30 DAY)");
  db.exec("INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size) VALUES "
          "('outside', '0d0d0d0d-0000-4000-8000-000000000001', 'database', '" +
          outside + "', 7)");
  auto guarded = test::run_tool("om-backup-prune", app.args(keep1), app.env());
  CHECK(guarded.exit_code == 1);
  CHECK(guarded.err.find("not deleting " + outside + ": it is outside --backup-root") !=
        std::string::npos);
  CHECK(fs::exists(outside));
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts WHERE id = 'outside'") == 1);
  db.exec("DELETE FROM backup_jobs WHERE id = '0d0d0d0d-0000-4000-8000-000000000001'");
  // Every remaining row points at a file that exists.
  auto rows = db.sql().query("SELECT file_path FROM backup_artifacts");
  REQUIRE(rows);
  for (const auto& r : *rows)
    CHECK(fs::exists(r.text(0)));
}

TEST_CASE("prune: borg archives of this host only, artifact rows removed, jobs kept") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run({"--include-database", "false", "--keep-hourly", "0", "--keep-daily", "0",
                   "--keep-weekly", "0", "--keep-monthly", "0"})
              .exit_code == 0);
  (void)app.borg({"create", app.repo + "::manual-keep-me", app.prod});
  REQUIRE(app.run({"--include-database", "false", "--keep-hourly", "0", "--keep-daily", "0",
                   "--keep-weekly", "0", "--keep-monthly", "0"})
              .exit_code == 0);
  auto r = test::run_tool("om-backup-prune",
                          app.args({"--kind", "borg", "--keep-hourly", "1", "--keep-daily", "0",
                                    "--keep-weekly", "0", "--keep-monthly", "0", "--list"}),
                          app.env());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Keeping archive (rule: hourly #1):") != std::string::npos);
  CHECK(r.out.find("Pruning archive") != std::string::npos);
  auto listing = borg::parse_list(app.borg({"list", "--json", app.repo}));
  REQUIRE(listing);
  CHECK(listing->archives.size() == 2); // ours, newest, and the manual one
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 2);
  CHECK(db.count("SELECT COUNT(*) FROM backup_artifacts") == 1);
  CHECK(
      db.count(
          "SELECT COUNT(*) FROM backup_prune_events WHERE store = 'borg' AND job_id IS NOT NULL") ==
      1);
}
