// --since/--until/--max-age values: an age is never negative, a time never before 1970, and
// an age read as a time is that long before now.
#include <cstdint>

#include <om/report/when.hpp>
#include <om/util/time.hpp>

#include "check.hpp"

namespace om::fuzz {

void when_value(std::string_view input) {
  constexpr std::int64_t now = 1795780800; // 2026-11-27 12:00 UTC
  auto age = util::parse_duration(input);
  auto when = report::parse_when(input, now);
  if (age) {
    check(*age >= 0, "a negative age");
    check(when && *when == std::max<std::int64_t>(0, now - *age),
          "an age read as a time is not that long before now");
  }
  if (when)
    check(*when >= 0, "a time before 1970");
}

} // namespace om::fuzz
