#include "support/catch.hpp"

#include <om/mail/message.hpp>
#include <om/report/digest/charts.hpp>
#include <om/report/digest/mail.hpp>
#include <om/report/digest/page.hpp>
#include <om/report/digest/view.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

#include "support/utc.hpp"

using namespace om;
using test::utc;

namespace {

// Three days of Berlin time, 2026-03-28 to 2026-03-30 (DST began on the 29th): two borg backups
// a day, one failed with an error that is HTML, one with warnings, and a legacy db backup.
report::DigestData three_days() {
  report::DigestData d;
  d.since = utc("2026-03-27T23:00:00"); // Berlin midnight, CET
  d.until = utc("2026-03-30T22:00:00"); // Berlin midnight, CEST
  auto run = [&d](const char* at, const char* kind, const char* status, std::int64_t ms) {
    d.runs.push_back({.id = "j" + std::to_string(d.runs.size() + 1),
                      .kind = kind,
                      .status = status,
                      .created_at = utc(at),
                      .duration_ms = ms,
                      .host = "web1"});
    return &d.runs.back();
  };
  run("2026-03-28T01:00:00", "borg", "success", 60'000);
  run("2026-03-28T13:00:00", "borg", "success", 120'000)->warned = true;
  run("2026-03-29T01:00:00", "borg", "failed", 5'000)->first_error_line =
      "<script>alert(1)</script> repository locked";
  run("2026-03-29T13:00:00", "borg", "success", 180'000);
  run("2026-03-30T01:00:00", "db", "success", 30'000);
  d.last_success = {{.what = "borg backup", .at = utc("2026-03-29T13:00:00")},
                    {.what = "target offsite", .at = std::nullopt}};
  return d;
}

} // namespace

TEST_CASE("digest view: local days, counts per kind, medians and problems newest first") {
  auto data = three_days();
  auto view = report::view_of(data, 26 * 3600, *util::find_zone("Europe/Berlin"));
  CHECK(view.days == std::vector<std::string>{"2026-03-28", "2026-03-29", "2026-03-30"});
  CHECK(view.kinds == std::vector<std::string>{"db", "borg"});
  const auto& borg = view.per_kind.at("borg");
  CHECK((borg.success == 2 && borg.warning == 1 && borg.failure == 1));
  CHECK(view.total.total() == 5);
  // The successful borg runs took 60, 120 and 180 s: the median is 120 s.
  CHECK(view.median_s.at("borg") == Approx(120.0));
  REQUIRE(view.problems.size() == 2);
  CHECK(view.problems[0]->id == "j3"); // the failure, newer than the warning
  CHECK(view.problems[1]->id == "j2");
  REQUIRE(view.last_success.size() == 2);
  CHECK(view.last_success[0].age_s.has_value()); // its age is from now: months, so stale
  CHECK_FALSE(view.last_success[1].age_s.has_value());
  CHECK(view.last_success[1].stale); // never
  CHECK(report::human_duration(12'000) == "3 h 20 min");
}

TEST_CASE("digest page: the text has the page's numbers, the HTML escapes what the catalog holds") {
  auto data = three_days();
  auto view = report::view_of(data, 26 * 3600, *util::find_zone("Europe/Berlin"));
  auto page =
      report::render_digest(data, view, {}, report::ChartEmbedding::inline_svg, "web1", 26 * 3600);
  CHECK(page.subject ==
        "[om-backup] digest for web1, 2026-03-28 to 2026-03-30: 5 runs, 1 failed, 1 with warnings");
  CHECK(page.text.find("total: 5 runs, 3 success, 1 with warnings, 1 failed") != std::string::npos);
  CHECK(page.text.find("<script>alert(1)</script> repository locked") != std::string::npos);
  CHECK(page.html.find("<script>") == std::string::npos);
  CHECK(page.html.find("&lt;script&gt;alert(1)&lt;/script&gt; repository locked") !=
        std::string::npos);
  CHECK(page.html.find(R"(data-runs="5" data-failed="1" data-warnings="1")") != std::string::npos);
  CHECK(page.text.find("target offsite: never  TOO OLD") != std::string::npos);

  report::DigestData empty{.since = data.since, .until = data.until};
  auto nothing = report::view_of(empty, 26 * 3600, *util::find_zone("Europe/Berlin"));
  auto quiet = report::render_digest(empty, nothing, {}, report::ChartEmbedding::inline_svg, "web1",
                                     26 * 3600);
  CHECK(quiet.text.find("No backup ran in these 3 days.") != std::string::npos);
  CHECK(report::chart_scripts(nothing, empty, report::ChartFormat::svg).empty());
}

TEST_CASE("digest charts: a script per chart with data, its data inline, one plot per day") {
  auto data = three_days();
  auto view = report::view_of(data, 26 * 3600, *util::find_zone("Europe/Berlin"));
  auto charts = report::chart_scripts(view, data, report::ChartFormat::svg);
  REQUIRE(charts.size() >= 2);
  CHECK(charts[0].id == "runs-per-day");
  CHECK(charts[1].id == "durations");
  for (const auto& c : charts) {
    INFO(c.id);
    CHECK(c.image.find(" << EOD\n") != std::string::npos); // a datablock, never a file
    CHECK(c.image.find("set terminal svg") != std::string::npos);
  }
}

TEST_CASE("digest mail: fixed boundaries, every part base64 in lines, the subject encoded") {
  report::DigestText text{
      .subject = "[om-backup] digest for wéb1", .html = "<p>ok</p>", .text = "total: 5 runs\n"};
  report::Chart png{.id = "runs-per-day",
                    .title = "Runs per day",
                    .caption = "c",
                    .image = std::string("\x89PNG\r\n\x1a\n", 8)};
  auto message = report::digest_message(text, {png}, "admin@example.org",
                                        "00000000-0000-4000-8000-000000000001");
  CHECK(message == report::digest_message(text, {png}, "admin@example.org",
                                          "00000000-0000-4000-8000-000000000001"));
  CHECK(message != report::digest_message(text, {png}, "admin@example.org",
                                          "00000000-0000-4000-8000-000000000002"));
  CHECK(message.find("To: admin@example.org\r\n") != std::string::npos);
  CHECK(message.find("Subject: " + mail::header_text(text.subject) + "\r\n") != std::string::npos);
  CHECK(message.find("MIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(message.find(mail::base64_lines(text.text)) != std::string::npos);
  CHECK(message.find(mail::base64_lines(png.image)) != std::string::npos);
  CHECK(message.find("Content-ID: <runs-per-day@om-backup>") != std::string::npos);
  for (auto line : util::split(message, '\n'))
    CHECK(line.size() <= 78);
}
