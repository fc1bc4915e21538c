#include <om/report/when.hpp>

#include <algorithm>
#include <limits>

#include <date/tz.h>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {

Result<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() >= 2) {
    auto n = util::parse_int(text.substr(0, text.size() - 1));
    std::int64_t unit = 0;
    switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = std::int64_t{7} * 86400;
      break;
    default:
      break;
    }
    if (n && *n >= 0 && unit > 0) {
      if (*n > std::numeric_limits<std::int64_t>::max() / unit)
        return fail(ExitStatus::usage, "duration '" + std::string(text) + "' is too large");
      return *n * unit;
    }
  }
  return fail(ExitStatus::usage,
              "invalid duration '" + std::string(text) + "' (like 26h, 90m, 7d)");
}

// Before the epoch there is no history: such a time means "from the beginning".
Result<std::int64_t> parse_when(std::string_view text, std::int64_t now) {
  auto d = parse_duration(text);
  if (d)
    return std::max<std::int64_t>(0, now - *d);
  if (d.error().message.ends_with("too large"))
    return std::unexpected(d.error());
  std::string s(text);
  if (s.size() == 10)
    s += "T00:00:00";
  else if (s.size() == 16)
    s += ":00";
  if (s.size() == 19) {
    if (auto t = util::parse_local_time(s, date::current_zone()))
      return std::max<std::int64_t>(0, *t);
  }
  return fail(ExitStatus::usage, "invalid time '" + std::string(text) +
                                     "' (like 2026-02-07, 2026-02-07T02:00, 24h or 7d)");
}

} // namespace om::report
