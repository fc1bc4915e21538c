#include <om/prune/retention.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

namespace om::prune {
namespace {

enum class Period { hourly, daily, weekly, monthly };

// The period a local time falls in, as a number that differs between periods (borg compares
// the strftime text of "%Y-%m-%d %H", "%Y-%m-%d", "%G-%V", "%Y-%m").
std::int64_t period_of(date::local_seconds local, Period p) {
  using namespace std::chrono;
  auto day = floor<date::days>(local);
  date::year_month_day ymd{day};
  switch (p) {
  case Period::hourly:
    return duration_cast<hours>(local.time_since_epoch()).count();
  case Period::daily:
    return day.time_since_epoch().count();
  case Period::weekly: {
    iso_week::year_weeknum_weekday w{day};
    return static_cast<int>(w.year()) * 100 + static_cast<int>(static_cast<unsigned>(w.weeknum()));
  }
  case Period::monthly:
    return static_cast<int>(ymd.year()) * 100 +
           static_cast<int>(static_cast<unsigned>(ymd.month()));
  }
  return 0;
}

} // namespace

std::vector<Decision> apply_retention(std::vector<Candidate> candidates,
                                      const RetentionPolicy& policy, const date::time_zone* tz) {
  // Newest first; equal times keep their given order (Python's sorted(..., reverse=True)).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.time > b.time; });
  // Each time in local time once (the zone lookup is the costly part), not once per rule.
  std::vector<date::local_seconds> local;
  local.reserve(candidates.size());
  for (const auto& c : candidates)
    local.push_back(
        date::make_zoned(tz, date::sys_seconds{std::chrono::seconds{c.time}}).get_local_time());
  std::unordered_map<std::size_t, std::string> kept_because; // index → rule
  const std::pair<Period, int> rules[] = {{Period::hourly, policy.hourly},
                                          {Period::daily, policy.daily},
                                          {Period::weekly, policy.weekly},
                                          {Period::monthly, policy.monthly}};
  const char* names[] = {"hourly", "daily", "weekly", "monthly"};
  for (const auto& [period, n] : rules) {
    if (n <= 0)
      continue;
    const std::string name = names[static_cast<int>(period)];
    int kept = 0;
    std::optional<std::int64_t> last;
    std::size_t i = 0;
    for (; i < candidates.size(); ++i) {
      auto p = period_of(local[i], period);
      if (last && p == *last)
        continue;
      last = p;
      if (kept_because.contains(i))
        continue;
      kept_because[i] = name + " #" + std::to_string(++kept);
      if (kept == n)
        break;
    }
    // borg keeps the oldest backup when a rule ends short of its count.
    std::size_t oldest =
        candidates.empty() ? 0 : (i < candidates.size() ? i : candidates.size() - 1);
    if (!candidates.empty() && kept < n && !kept_because.contains(oldest))
      kept_because[oldest] = name + "[oldest] #" + std::to_string(++kept);
  }
  std::vector<Decision> out;
  out.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    auto it = kept_because.find(i);
    out.push_back(Decision{candidates[i].id, candidates[i].time, it != kept_because.end(),
                           it != kept_because.end() ? it->second : std::string()});
  }
  return out;
}

} // namespace om::prune
