#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::util {

// A standard 5-field cron expression (minute hour day-of-month month day-of-week, with
// lists, ranges, steps and names) or a macro (@hourly, @daily, @weekly, @monthly, @yearly),
// as the UI's backup_settings.schedule holds it. As in cron, when both day fields are
// restricted a day matches either.
class CronSchedule {
public:
  [[nodiscard]] static Result<CronSchedule> parse(std::string_view expression);

  // The latest scheduled minute at or before `now` (epoch seconds), in local time of `tz`;
  // nullopt when there is none in the last 400 days.
  [[nodiscard]] std::optional<std::int64_t> previous(std::int64_t now,
                                                     const date::time_zone* tz) const;

private:
  std::bitset<60> m_minute;
  std::bitset<24> m_hour;
  std::bitset<32> m_day_of_month;
  std::bitset<13> m_month;
  std::bitset<7> m_day_of_week;
  bool m_dom_restricted = false;
  bool m_dow_restricted = false;

  [[nodiscard]] bool day_matches(unsigned day_of_month, unsigned month, unsigned weekday) const;
};

// For --if-due from a frequent cron line: whether `schedule` has had a due minute, in this
// machine's time zone, since the scheduled run noted in `mark_file` (none noted: the latest due
// minute is due). A machine that was off over a due time catches up once.
[[nodiscard]] Result<bool> due_since_mark(const CronSchedule& schedule,
                                          const std::string& mark_file, std::int64_t now);
// Notes in `mark_file` that a scheduled run starts at `now` (its folder is made, 0750).
[[nodiscard]] Result<void> set_mark(const std::string& mark_file, std::int64_t now);

// The next `count` scheduled minutes after `now` in the local time of `tz` (fewer when the
// schedule has none within 400 days).
[[nodiscard]] std::vector<std::int64_t> next_runs(const CronSchedule& schedule, std::int64_t now,
                                                  int count, const date::time_zone* tz);

} // namespace om::util
