// The UI's schedule (5-field cron or a macro): an expression that parses has scheduled minutes
// that are whole minutes, never after the time asked about, strictly increasing, each its own
// latest -- in UTC and in a zone with DST.
#include <cstdint>

#include <date/tz.h>

#include <om/util/cron.hpp>

#include "check.hpp"

namespace om::fuzz {
namespace {

void walk_back(const util::CronSchedule& s, std::int64_t now, const date::time_zone* tz) {
  auto at = s.previous(now, tz);
  for (int i = 0; at && i < 4; ++i) {
    check(*at <= now, "a scheduled minute after the time asked about");
    check(*at % 60 == 0, "a scheduled time that is not a whole minute");
    check(s.previous(*at, tz) == at, "a scheduled minute is not its own latest");
    auto before = s.previous(*at - 1, tz);
    check(!before || *before < *at, "scheduled minutes not strictly increasing");
    now = *at - 1;
    at = before;
  }
}

} // namespace

void cron_expression(std::string_view input) {
  auto s = util::CronSchedule::parse(input);
  if (!s)
    return;
  static const auto* utc = date::locate_zone("UTC");
  static const auto* berlin = date::locate_zone("Europe/Berlin");
  // 2026-11-27 12:00 UTC, and a minute after Berlin's clocks went back in October 2026.
  for (std::int64_t now : {std::int64_t{1795780800}, std::int64_t{1792890060}}) {
    walk_back(*s, now, utc);
    walk_back(*s, now, berlin);
  }
}

} // namespace om::fuzz
