#include <om/util/cron.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include <date/date.h>
#include <date/tz.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::util {
namespace {

constexpr std::array<const char*, 12> k_months{"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> k_days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// A field's number or name. Numbers stay 64-bit until checked against the field's range, so
// "4294967296" is out of range rather than 0.
template <std::size_t N>
std::optional<std::int64_t> field_value(std::string_view text,
                                        const std::array<const char*, N>* names, int name_base) {
  if (auto v = parse_int(text))
    return *v;
  if (names != nullptr) {
    auto lower = to_lower(text);
    for (std::size_t i = 0; i < names->size(); ++i) {
      if (lower == (*names)[i])
        return static_cast<std::int64_t>(i) + name_base;
    }
  }
  return std::nullopt;
}

// Parses one field into `bits` (index = value); values outside [lo, hi] are errors.
template <std::size_t Bits, std::size_t N = 1>
Result<bool> parse_field(std::string_view text, int lo, int hi, std::bitset<Bits>& bits,
                         const std::array<const char*, N>* names = nullptr, int name_base = 0) {
  bool restricted = text != "*";
  for (auto part : split(text, ',')) {
    std::int64_t step = 1;
    if (auto slash = part.find('/'); slash != std::string_view::npos) {
      auto s = parse_int(part.substr(slash + 1));
      if (!s || *s <= 0)
        return fail("invalid step in '" + std::string(part) + "'");
      step = std::min<std::int64_t>(*s, hi - lo + 1); // a longer step takes the first value only
      part = part.substr(0, slash);
    }
    std::int64_t from = lo;
    std::int64_t to = hi;
    if (part != "*") {
      auto dash = part.find('-');
      auto a = field_value(part.substr(0, dash), names, name_base);
      auto b =
          dash == std::string_view::npos ? a : field_value(part.substr(dash + 1), names, name_base);
      if (!a || !b)
        return fail("invalid value '" + std::string(part) + "'");
      from = *a;
      to = dash == std::string_view::npos && step > 1 ? hi : *b;
    }
    if (from < lo || to > hi || from > to)
      return fail("'" + std::string(part) + "' is outside " + std::to_string(lo) + "-" +
                  std::to_string(hi));
    for (auto v = from; v <= to; v += step)
      bits.set(static_cast<std::size_t>(v));
  }
  return restricted;
}

} // namespace

Result<CronSchedule> CronSchedule::parse(std::string_view expression) {
  std::string expr(trim(expression));
  if (expr == "@hourly")
    expr = "0 * * * *";
  else if (expr == "@daily" || expr == "@midnight")
    expr = "0 0 * * *";
  else if (expr == "@weekly")
    expr = "0 0 * * 0";
  else if (expr == "@monthly")
    expr = "0 0 1 * *";
  else if (expr == "@yearly" || expr == "@annually")
    expr = "0 0 1 1 *";
  std::vector<std::string_view> fields;
  for (auto f : split(expr, ' ')) {
    if (!f.empty())
      fields.push_back(f);
  }
  auto context = "schedule '" + std::string(expression) + "'";
  if (fields.size() != 5)
    return fail(ExitStatus::config,
                context + ": expected 5 fields (minute hour day month weekday)");
  CronSchedule s;
  std::bitset<8> dow;
  auto check = [&](Result<bool> r) -> Result<bool> {
    if (!r)
      return fail(ExitStatus::config, context + ": " + r.error().message);
    return r;
  };
  OM_TRY_VOID(check(parse_field(fields[0], 0, 59, s.m_minute)));
  OM_TRY_VOID(check(parse_field(fields[1], 0, 23, s.m_hour)));
  OM_TRY(dom, check(parse_field(fields[2], 1, 31, s.m_day_of_month)));
  OM_TRY_VOID(check(parse_field(fields[3], 1, 12, s.m_month, &k_months, 1)));
  OM_TRY(dow_r, check(parse_field(fields[4], 0, 7, dow, &k_days, 0)));
  for (std::size_t d = 0; d < 7; ++d)
    s.m_day_of_week[d] = dow[d] || (d == 0 && dow[7]);
  s.m_dom_restricted = dom;
  s.m_dow_restricted = dow_r;
  return s;
}

bool CronSchedule::day_matches(unsigned day_of_month, unsigned month, unsigned weekday) const {
  if (!m_month[month])
    return false;
  bool dom = m_day_of_month[day_of_month];
  bool dow = m_day_of_week[weekday];
  if (m_dom_restricted && m_dow_restricted)
    return dom || dow;
  return dom && dow;
}

std::optional<std::int64_t> CronSchedule::previous(std::int64_t now,
                                                   const date::time_zone* tz) const {
  using namespace std::chrono;
  auto zoned = date::make_zoned(tz, date::sys_seconds{seconds{now}});
  auto local_now = floor<minutes>(zoned.get_local_time());
  auto today = floor<date::days>(local_now);
  for (int back = 0; back <= 400; ++back) {
    auto day = today - date::days{back};
    date::year_month_day ymd{day};
    date::weekday wd{day};
    if (!day_matches(static_cast<unsigned>(ymd.day()), static_cast<unsigned>(ymd.month()),
                     wd.c_encoding()))
      continue;
    for (int h = 23; h >= 0; --h) {
      if (!m_hour[static_cast<std::size_t>(h)])
        continue;
      for (int m = 59; m >= 0; --m) {
        if (!m_minute[static_cast<std::size_t>(m)])
          continue;
        auto candidate = day + hours{h} + minutes{m};
        if (candidate > local_now)
          continue;
        auto info = tz->get_info(candidate);
        if (info.result == date::local_info::nonexistent)
          continue; // skipped by a DST jump: cron does not run it either
        return duration_cast<seconds>(candidate.time_since_epoch() - info.first.offset).count();
      }
    }
  }
  return std::nullopt;
}

// previous() is monotonic, so each next run is found by bisection (DST and all, as previous()
// knows them).
std::vector<std::int64_t> next_runs(const CronSchedule& s, std::int64_t now, int count,
                                    const date::time_zone* tz) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < count; ++i) {
    std::int64_t lo = now;
    std::int64_t hi = now + std::int64_t{400} * 86400;
    auto last = s.previous(hi, tz);
    if (!last || *last <= now)
      break;
    while (hi - lo > 60) { // the first minute whose previous() is after `now`
      auto mid = lo + (hi - lo) / 2;
      auto p = s.previous(mid, tz);
      if (p && *p > now)
        hi = mid;
      else
        lo = mid;
    }
    auto at = s.previous(hi, tz);
    if (!at)
      break;
    out.push_back(*at);
    now = *at;
  }
  return out;
}

Result<bool> due_since_mark(const CronSchedule& schedule, const std::string& mark_file,
                            std::int64_t now) {
  auto due = schedule.previous(now, date::current_zone());
  if (!due)
    return false;
  std::int64_t last = 0;
  if (auto text = read_file(mark_file))
    last = parse_int(trim(*text)).value_or(0);
  return *due > last;
}

Result<void> set_mark(const std::string& mark_file, std::int64_t now) {
  const auto slash = mark_file.rfind('/');
  if (slash != std::string::npos && slash > 0)
    OM_TRY_VOID(make_dirs(mark_file.substr(0, slash), 0750));
  return write_file_atomic(mark_file, std::to_string(now) + "\n", 0640);
}

} // namespace om::util
