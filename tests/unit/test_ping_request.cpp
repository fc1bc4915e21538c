#include "support/catch.hpp"

#include <om/ping/ping_request.hpp>
#include <om/ping/ping_target.hpp>

using namespace om;
using om::test::Contains;
using ping::Event;
using ping::PingStyle;

namespace {

ping::Report report_of(Event event) {
  ping::Report r;
  r.event = event;
  r.tool = "om-backup-run";
  r.host = "web1";
  r.run_id = "0b0e7c1e-2f35-4c4e-9f44-7d1f1a0c9e11";
  if (event != Event::start) {
    r.exit_code = event == Event::success ? 0 : 75;
    r.duration_ms = 1234;
  }
  r.message = event == Event::failure ? "another backup of /srv/repo is running: job 1" : "OK";
  r.log_tail = "[2026-11-27 02:00:00] info: backup finished: om-web1-2026\n";
  return r;
}

} // namespace

TEST_CASE("ping: ping-url values name their style or take ping-style's") {
  auto plain = ping::parse_ping_url("https://hc-ping.com/abc", PingStyle::healthchecks);
  REQUIRE(plain);
  CHECK(plain->style == PingStyle::healthchecks);
  CHECK(plain->url == "https://hc-ping.com/abc");
  auto kuma = ping::parse_ping_url("uptime-kuma:https://kuma.example/api/push/t0k",
                                   PingStyle::healthchecks);
  REQUIRE(kuma);
  CHECK(kuma->style == PingStyle::uptime_kuma);
  CHECK(kuma->url == "https://kuma.example/api/push/t0k");
  auto topic = ping::parse_ping_url("http://ntfy.local:8080/backups", PingStyle::ntfy);
  REQUIRE(topic);
  CHECK(topic->style == PingStyle::ntfy);
  for (const char* bad :
       {"", "hc-ping.com/abc", "ftp://x/y", "https://", "pager:https://x/y", "https://x/a b"}) {
    auto r = ping::parse_ping_url(bad, PingStyle::healthchecks);
    INFO(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::config);
  }
}

TEST_CASE("ping: URLs are logged by scheme and host only") {
  CHECK(ping::redacted("https://hc-ping.com/6f3c0c8e-secret") == "https://hc-ping.com/…");
  CHECK(ping::redacted("https://user:pw@kuma.example:3001/api/push/t?x=1") ==
        "https://kuma.example:3001/…");
  CHECK(ping::redacted("http://ntfy.local") == "http://ntfy.local");
  CHECK(ping::redacted("not a url") == "(a URL without a host)");
}

TEST_CASE("ping: healthchecks gets start, success and the exit code, one run id") {
  const ping::PingTarget t{PingStyle::healthchecks, "https://hc-ping.com/key/slug/?create=1"};
  auto start = ping::request_for(t, report_of(Event::start));
  auto ok = ping::request_for(t, report_of(Event::success));
  auto failed = ping::request_for(t, report_of(Event::failure));
  REQUIRE((start && ok && failed));
  CHECK(start->method == "POST");
  CHECK(start->url ==
        "https://hc-ping.com/key/slug/start?create=1&rid=0b0e7c1e-2f35-4c4e-9f44-7d1f1a0c9e11");
  CHECK(ok->url ==
        "https://hc-ping.com/key/slug?create=1&rid=0b0e7c1e-2f35-4c4e-9f44-7d1f1a0c9e11");
  CHECK(failed->url ==
        "https://hc-ping.com/key/slug/75?create=1&rid=0b0e7c1e-2f35-4c4e-9f44-7d1f1a0c9e11");
  CHECK_THAT(ok->body, Contains("backup finished"));
}

TEST_CASE("ping: uptime kuma's push URL gets status, message and duration, never a start") {
  const ping::PingTarget t{PingStyle::uptime_kuma,
                           "https://kuma.example/api/push/t0k?status=up&msg=OK&ping="};
  CHECK_FALSE(ping::request_for(t, report_of(Event::start)));
  auto ok = ping::request_for(t, report_of(Event::success));
  auto failed = ping::request_for(t, report_of(Event::failure));
  REQUIRE((ok && failed));
  CHECK(ok->method == "GET");
  CHECK(ok->url == "https://kuma.example/api/push/t0k?status=up&msg=OK&ping=1234");
  CHECK(failed->url == "https://kuma.example/api/push/t0k?status=down&msg=another%20backup%20of%"
                       "20%2Fsrv%2Frepo%20is%20running%3A%20job%201&ping=1234");
}

TEST_CASE("ping: ntfy gets a title, priority and tags by outcome, non-ASCII encoded") {
  const ping::PingTarget t{PingStyle::ntfy, "https://ntfy.sh/om"};
  auto failed = ping::request_for(t, report_of(Event::failure));
  REQUIRE(failed);
  CHECK(failed->headers["Title"] == "om-backup-run failed on web1 (exit 75)");
  CHECK(failed->headers["Priority"] == "5");
  CHECK(failed->headers["Tags"] == "rotating_light");
  auto greek = report_of(Event::start);
  greek.host = "ναός";
  auto start = ping::request_for(t, greek);
  REQUIRE(start);
  // RFC 2047: "om-backup-run started on ναός" in base64
  CHECK(start->headers["Title"] == "=?UTF-8?B?b20tYmFja3VwLXJ1biBzdGFydGVkIG9uIM69zrHPjM+C?=");
  CHECK(start->headers["Priority"] == "2");
}

TEST_CASE("ping: json carries the record as it is and null without one") {
  const ping::PingTarget t{PingStyle::json, "https://hooks.example/om"};
  auto r = report_of(Event::success);
  auto plain = ping::request_for(t, r);
  REQUIRE(plain);
  CHECK_THAT(plain->body, Contains(R"("event":"success","tool":"om-backup-run","host":"web1")") &&
                              Contains(R"("exit_code":0,"duration_ms":1234)") &&
                              Contains(R"("record":null)"));
  r.job_json = "{\"job\":{\"id\":\"x\"}}\n";
  auto with = ping::request_for(t, r);
  REQUIRE(with);
  CHECK_THAT(with->body, Contains(R"("record":{"job":{"id":"x"}},"log_tail")"));
}

TEST_CASE("ping: a log's tail is cut at a line, never inside a character") {
  CHECK(ping::tail_of("short", 10) == "short");
  CHECK(ping::tail_of("line one\nline two\n", 12) == "line two\n");
  CHECK(ping::tail_of("ααααα", 5) == "αα"); // 5 bytes back is mid-character: skip to the next
}
