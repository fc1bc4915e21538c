#include "support/catch.hpp"

#include <filesystem>
#include <regex>

#include <om/util/strings.hpp>

#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;

namespace {

constexpr const char* k_zone = "Europe/Athens";

// A month of history an admin would recognise: a nightly borg backup (one target with its
// sizes), a legacy files backup every third day with its artifact, and among them three
// failures and one warning with multi-line errors; a prune, a restore drill and two restores.
void seed(test::TestCatalog& db) {
  int n = 0;
  auto job = [&](int days_ago, int hour, const std::string& kind, const std::string& status,
                 int seconds, const std::string& error) {
    const auto number = std::to_string(++n);
    const auto id = "00000000-0000-4000-8000-" + std::string(12 - number.size(), '0') + number;
    const auto at = "NOW() - INTERVAL " + std::to_string(days_ago) + " DAY - INTERVAL " +
                    std::to_string(hour) + " HOUR";
    db.exec("INSERT INTO backup_jobs (id, kind, status, requested_by, started_at, finished_at, "
            "duration_ms, error, created_at) VALUES ('" +
            id + "', '" + kind + "', '" + status + "', 'cron', " + at + ", " + at + " + INTERVAL " +
            std::to_string(seconds) + " SECOND, " + std::to_string(seconds * 1000) + ", " +
            (error.empty() ? "NULL" : "'" + error + "'") + ", " + at + ")");
    db.exec("INSERT INTO backup_job_runs (job_id, host, pid, origin) VALUES ('" + id +
            "', 'web1', 1, 'run')");
    return std::pair{id, at};
  };
  for (int d = 29; d >= 0; --d) {
    auto [id, at] = job(d, 2, "borg", "success", 600 + d * 5, "");
    db.exec("INSERT INTO backup_job_targets (job_id, target, repository, status, original_size, "
            "compressed_size, deduplicated_size, started_at, finished_at, duration_ms) VALUES ('" +
            id + "', 'local', '/var/backups/OM/repo', 'success', " +
            std::to_string(5'000'000'000LL + (30 - d) * 50'000'000LL) + ", " +
            std::to_string(3'000'000'000LL + (30 - d) * 30'000'000LL) + ", 40000000, " + at + ", " +
            at + ", 600000)");
    if (d % 3 == 0) {
      auto [fid, fat] = job(d, 4, "files", "success", 120, "");
      db.exec("INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size) "
              "VALUES (UUID(), '" +
              fid + "', 'files', '/b/f" + std::to_string(d) + ".tar.gz', 800000000)");
    }
  }
  job(12, 6, "borg", "failed", 3,
      "borg create failed: Connection closed by remote host\\nTraceback (most recent call)");
  job(5, 7, "borg", "failed", 2, "database dump failed: mysqldump: Got error: 2013\\nsecond line");
  job(2, 8, "files", "cancelled", 1, "interrupted by Terminated");
  job(8, 9, "borg", "success", 650, "warning: target offsite failed: No route to host");
  db.exec("INSERT INTO backup_prune_events (pruned_at, host, requested_by, tool, store, target, "
          "policy) VALUES (NOW() - INTERVAL 3 DAY, 'web1', 'cron', 'om-backup-run', 'borg', "
          "'om-web1-2026-10-01', 'keep 48 hourly')");
  db.exec("INSERT INTO backup_restore_drills (started_at, finished_at, duration_ms, host, source, "
          "status, error) VALUES (NOW() - INTERVAL 4 DAY, NOW() - INTERVAL 4 DAY, 90000, 'web1', "
          "'the newest backup', 'success', NULL)");
  db.exec("INSERT INTO backup_restores (id, what, source, destination, host, requested_by, "
          "status, error, phase, started_at, finished_at) VALUES "
          "(UUID(), 'files', 'borg archive /r::om-web1-a', '/srv/restore', 'web1', 'maria', "
          "'success', NULL, 'done', NOW() - INTERVAL 5 DAY, NOW() - INTERVAL 5 DAY), "
          "(UUID(), 'db', 'borg archive /r::om-web1-b', 'database app_copy', 'web1', 'maria', "
          "'failed', 'database app_copy has 3 tables: not loading into it\\nsecond line', "
          "'done', NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 2 DAY)");
  db.exec("INSERT INTO backup_settings (id, schedule, notification_email) VALUES (1, "
          "'0 2 * * *', 'admin@example.org') ON DUPLICATE KEY UPDATE schedule = "
          "VALUES(schedule), notification_email = VALUES(notification_email)");
}

test::ToolResult digest(const SampleApp& app, std::vector<std::string> args) {
  auto a = app.db.tool_args();
  a.emplace_back("digest");
  a.insert(a.end(), args.begin(), args.end());
  auto env = app.env();
  env["TZ"] = k_zone;
  return test::run_tool("om-backup-report", a, env);
}

// The local calendar days from 30 days ago to now, as the admin counts them.
std::size_t days_in_period() {
  auto count = test::shell(
      std::string(
          "/usr/bin/python3 -c \"import datetime, time, zoneinfo; tz = zoneinfo.ZoneInfo('") +
      k_zone +
      "'); now = time.time(); day = lambda t: datetime.datetime.fromtimestamp(t, tz).date(); "
      "print((day(now) - day(now - 30 * 86400)).days + 1)\"");
  return static_cast<std::size_t>(std::stoul(count));
}

// Where the test keeps what a person would look at (ctest runs in the build folder).
std::string artifact_dir() {
  std::filesystem::create_directories("artifacts");
  return std::filesystem::absolute("artifacts").string();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

} // namespace

TEST_CASE("digest: the page of a known month in headless chromium - a bar group per day - the "
          "failures and their errors - a screenshot") {
  test::TestCatalog db;
  SampleApp app(db);
  seed(db);
  const std::string page = app.dir / "digest.html";
  auto r = digest(app, {"--html", page});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto html = test::read_text(page);
  // Self-contained: nothing runs, nothing is fetched.
  CHECK(html.find("<script") == std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*["']?(https?:)?//)")));

  const auto dom = test::shell("chromium --headless --no-sandbox --disable-gpu --dump-dom "
                               "'file://" +
                               page + "' 2>/dev/null");
  const auto days = days_in_period();
  // The runs chart: one plot group per day, then the three legend entries.
  auto start = dom.find("<figure id=\"runs-per-day\" data-days=\"" + std::to_string(days) + "\"");
  REQUIRE(start != std::string::npos);
  const auto figure = dom.substr(start, dom.find("</figure>", start) - start);
  CHECK(count(figure, "id=\"gnuplot_plot_") == days + 3);
  CHECK(figure.find("id=\"gnuplot_plot_" + std::to_string(days) + "\"") != std::string::npos);
  for (const char* legend : {">success<", ">warning<", ">failure<"})
    CHECK(figure.find(legend) != std::string::npos);
  // The failures: their count, and each one's first error line (only the first).
  CHECK(dom.find("<span class=\"failure-count\">3</span>") != std::string::npos);
  CHECK(dom.find("<span class=\"warning-count\">1</span>") != std::string::npos);
  CHECK(count(dom, "<tr class=\"failure\" data-job=") == 3);
  for (const char* line : {"borg create failed: Connection closed by remote host",
                           "database dump failed: mysqldump: Got error: 2013",
                           "interrupted by Terminated", "target offsite failed: No route to host"})
    CHECK(dom.find(std::string("<td class=\"error\">") + line + "</td>") != std::string::npos);
  CHECK(dom.find("Traceback") == std::string::npos);
  CHECK(dom.find("second line") == std::string::npos);
  // The restores of the period: both, the failed one with its first error line only.
  CHECK(dom.find("<h2>Restores: 2</h2>") != std::string::npos);
  CHECK(count(dom, "<td>maria</td>") == 2);
  CHECK(dom.find("failed: database app_copy has 3 tables: not loading into it</td>") !=
        std::string::npos);
  // The other sections: growth and legacy charts, the prune, the drill, the next runs.
  for (const char* id : {"id=\"durations\"", "id=\"growth\"", "id=\"legacy-bytes\"",
                         "om-web1-2026-10-01", "the newest backup", "0 2 * * *"})
    CHECK(dom.find(id) != std::string::npos);

  // What a person sees: a screenshot of the expected size that is not blank.
  const auto shot = artifact_dir() + "/digest-page.png";
  (void)test::shell("chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
                    "--window-size=1000,2400 --screenshot='" +
                    shot + "' 'file://" + page + "' >/dev/null 2>&1");
  auto looked = test::shell("/usr/bin/python3 -c \"import sys; from PIL import Image; "
                            "im = Image.open(sys.argv[1]).convert('RGB'); "
                            "print(im.size[0], im.size[1], len(im.getcolors(1 << 20) or []))\" '" +
                            shot + "'");
  auto parts = util::split(util::trim(looked), ' ');
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == "1000");
  CHECK(parts[1] == "2400");
  CHECK(std::stoi(std::string(parts[2])) > 50); // charts, text and colours, not one flat colour
}

TEST_CASE("digest: the mail parses as MIME - its charts are PNG - the text part has the same "
          "numbers") {
  test::TestCatalog db;
  SampleApp app(db);
  seed(db);
  const std::string mailbox = app.dir / "mail.eml";
  const auto sendmail = app.write_script("sendmail.sh", "cat > '" + mailbox + "'");
  auto r = digest(app, {"--mail", "--sendmail", sendmail});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string check = std::string(OM_SOURCE_DIR) + "/tests/support/check_digest_mail.py";
  auto summary = test::shell("/usr/bin/python3 '" + check + "' '" + mailbox + "'");
  INFO(summary);
  // check_digest_mail.py: the recipient, the parts' types, each PNG's size, and the numbers
  // of the text part and of the HTML part.
  CHECK(summary.find("to admin@example.org\n") != std::string::npos);
  CHECK(summary.find("structure multipart/alternative[text/plain,multipart/related[text/html,"
                     "image/png,image/png,image/png,image/png]]\n") != std::string::npos);
  CHECK(count(summary, "png 860x") == 4);
  CHECK(summary.find("cids resolved\n") != std::string::npos);
  CHECK(summary.find("text: 44 runs, 3 failed, 1 with warnings\n") != std::string::npos);
  CHECK(summary.find("html: 44 runs, 3 failed, 1 with warnings\n") != std::string::npos);

  // Without a recipient anywhere: exit 78, nothing sent.
  db.exec("UPDATE backup_settings SET notification_email = NULL");
  std::filesystem::remove(mailbox);
  auto none = digest(app, {"--mail", "--sendmail", sendmail});
  CHECK(none.exit_code == 78);
  CHECK(none.err.find("no recipient") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(mailbox));
}

TEST_CASE("digest: an empty catalog gives a digest that says so - no empty axes") {
  test::TestCatalog db;
  SampleApp app(db);
  const std::string page = app.dir / "digest.html";
  auto r = digest(app, {"--html", page});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto html = test::read_text(page);
  CHECK(html.find("No backup ran in these") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<figure") == std::string::npos);
  auto text = digest(app, {});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("No backup ran in these") != std::string::npos);
}
