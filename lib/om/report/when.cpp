#include <om/report/when.hpp>

#include <algorithm>

#include <date/tz.h>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {

// Before the epoch there is no history: such a time means "from the beginning".
Result<std::int64_t> parse_when(std::string_view text, std::int64_t now) {
  auto d = util::parse_duration(text);
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
