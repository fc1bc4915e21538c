#include <om/util/time.hpp>

#include <chrono>
#include <limits>
#include <sstream>

#include <date/date.h>
#include <date/tz.h>

#include <om/util/strings.hpp>

namespace om::util {

std::int64_t now_unix() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_unix_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Result<const date::time_zone*> find_zone(std::string_view name) {
  try {
    if (name.empty())
      return date::current_zone();
    return date::locate_zone(name);
  } catch (const std::exception& e) {
    return fail(ExitStatus::config, "unknown time zone '" + std::string(name) + "': " + e.what());
  }
}

bool is_local_time(std::string_view text) {
  if (text.size() < 19)
    return false;
  auto digits = [&](std::size_t at, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9')
        return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':')
    return false;
  int year = digits(0, 4);
  int month = digits(5, 2);
  int day = digits(8, 2);
  int hour = digits(11, 2);
  int minute = digits(14, 2);
  int second = digits(17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60)
    return false;
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > k_days[month - 1] + (month == 2 && leap ? 1 : 0))
    return false;
  if (text.size() == 19)
    return true;
  return text[19] == '.' && text.size() > 20 &&
         text.find_first_not_of("0123456789", 20) == std::string_view::npos;
}

Result<std::int64_t> parse_local_time(std::string_view text, const date::time_zone* tz) {
  std::string s(text.substr(0, 19));
  if (s.size() == 19 && s[10] == ' ')
    s[10] = 'T';
  std::istringstream in(s);
  date::local_seconds local{};
  // date.h's parser sets its seconds only when %S matched and reads them only then; GCC 12,
  // inlining it (as a unity build does), does not see that (GCC bug 107138).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  if (in.fail() || s.size() != 19)
    return fail("invalid time '" + std::string(text) + "' (expected YYYY-MM-DDTHH:MM:SS)");
  try {
    auto info = tz->get_info(local);
    // Unique, ambiguous (the earlier offset) or in a DST gap (the offset before the jump):
    // every case takes the first offset.
    auto sys = date::sys_seconds{local.time_since_epoch() - info.first.offset};
    return sys.time_since_epoch().count();
  } catch (const std::exception& e) {
    return fail("converting '" + std::string(text) + "' to UTC: " + e.what());
  }
}

std::string format_time(std::int64_t unix_seconds, const date::time_zone* tz, const char* fmt) {
  date::sys_seconds sys{std::chrono::seconds{unix_seconds}};
  return date::format(fmt, date::make_zoned(tz, sys));
}

std::string iso8601(std::int64_t unix_seconds, const date::time_zone* tz) {
  auto text = format_time(unix_seconds, tz, "%Y-%m-%dT%H:%M:%S%z");
  // %z gives +0000; ISO 8601 extended form wants +00:00.
  if (text.size() >= 5)
    text.insert(text.size() - 2, ":");
  return text;
}

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

} // namespace om::util
