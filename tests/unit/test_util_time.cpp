#include "support/catch.hpp"

#include <om/util/cron.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

using namespace om;

TEST_CASE("time: borg's naive times in a zone, ISO 8601 out") {
  auto utc = util::find_zone("UTC");
  REQUIRE(utc);
  auto t = util::parse_local_time("2026-11-21T02:00:00.000000", *utc);
  REQUIRE(t);
  CHECK(*t == 1795226400);
  CHECK(util::iso8601(*t, *utc) == "2026-11-21T02:00:00+00:00");
  auto berlin = util::find_zone("Europe/Berlin");
  REQUIRE(berlin);
  auto b = util::parse_local_time("2026-11-21 03:00:00", *berlin);
  REQUIRE(b);
  CHECK(*b == 1795226400);
  // The hour that repeats when DST ends takes the earlier instant.
  auto fold = util::parse_local_time("2026-10-25T02:30:00", *berlin);
  REQUIRE(fold);
  CHECK(util::iso8601(*fold, *berlin) == "2026-10-25T02:30:00+02:00");
  CHECK_FALSE(util::parse_local_time("21/11/2026", *utc));
  CHECK_FALSE(util::find_zone("Not/AZone"));
}

TEST_CASE("cron: the latest scheduled minute at or before now") {
  auto utc = *util::find_zone("UTC");
  auto at = [&](const char* text) { return *util::parse_local_time(text, utc); };
  auto daily2 = util::CronSchedule::parse("0 2 * * *");
  REQUIRE(daily2);
  CHECK(daily2->previous(at("2026-11-26T16:00:00"), utc) == at("2026-11-26T02:00:00"));
  CHECK(daily2->previous(at("2026-11-26T01:59:59"), utc) == at("2026-11-25T02:00:00"));
  CHECK(daily2->previous(at("2026-11-26T02:00:00"), utc) == at("2026-11-26T02:00:00"));
  auto every5 = util::CronSchedule::parse("*/5 * * * *");
  REQUIRE(every5);
  CHECK(every5->previous(at("2026-11-26T16:07:30"), utc) == at("2026-11-26T16:05:00"));
  auto weekdays = util::CronSchedule::parse("30 1 * * mon-fri");
  REQUIRE(weekdays);
  // 2026-11-29 is a Sunday: the previous run was Friday the 27th.
  CHECK(weekdays->previous(at("2026-11-29T12:00:00"), utc) == at("2026-11-27T01:30:00"));
  auto either = util::CronSchedule::parse("0 0 1 * 0"); // the 1st, or any Sunday
  REQUIRE(either);
  CHECK(either->previous(at("2026-11-30T12:00:00"), utc) == at("2026-11-29T00:00:00"));
  auto monthly = util::CronSchedule::parse("@monthly");
  REQUIRE(monthly);
  CHECK(monthly->previous(at("2026-11-26T12:00:00"), utc) == at("2026-11-01T00:00:00"));
  // In a DST gap the skipped minute never runs.
  auto berlin = *util::find_zone("Europe/Berlin");
  auto gap = util::CronSchedule::parse("30 2 * * *");
  REQUIRE(gap);
  CHECK(gap->previous(*util::parse_local_time("2026-03-29T12:00:00", berlin), berlin) ==
        *util::parse_local_time("2026-03-28T02:30:00", berlin));
  // A step longer than the field takes its first value only (fuzzing found a huge one crashing).
  auto long_step = util::CronSchedule::parse("0/2000000000000000001 * * * *");
  REQUIRE(long_step);
  CHECK(long_step->previous(at("2026-11-26T16:07:30"), utc) == at("2026-11-26T16:00:00"));
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a b c d e",
                          "5-1 * * * *", "4294967296 * * * *", "0 * * * 4294967297"}) {
    auto r = util::CronSchedule::parse(bad);
    CHECK_FALSE(r);
    if (!r)
      CHECK(r.error().status == ExitStatus::config);
  }
}

TEST_CASE("time: is_local_time accepts borg's forms and refuses what is not a calendar time") {
  CHECK(util::is_local_time("2026-02-28T23:59:59"));
  CHECK(util::is_local_time("2024-02-29 01:02:03.123456"));
  CHECK_FALSE(util::is_local_time("2026-02-29T00:00:00"));
  CHECK_FALSE(util::is_local_time("2026-13-01T00:00:00"));
  CHECK_FALSE(util::is_local_time("yesterday"));
  CHECK_FALSE(util::is_local_time("2026-01-01T00:00:00.x"));
  CHECK_FALSE(util::is_local_time(""));
}
