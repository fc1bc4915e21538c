#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <date/tz.h>

#include <om/report/digest/data.hpp>

namespace om::report {

struct StatusCounts {
  std::int64_t success = 0; // without warnings
  std::int64_t warning = 0;
  std::int64_t failure = 0; // failed or cancelled
  [[nodiscard]] std::int64_t total() const { return success + warning + failure; }
};

struct DurationPoint {
  std::int64_t local_at = 0; // the run's start as local wall time, in seconds (for the charts)
  double seconds = 0;
};

struct Staleness {
  std::string what;
  std::optional<std::int64_t> at;
  std::optional<std::int64_t> age_s;
  bool stale = false; // older than max-age, or never
};

// The digest's numbers, in the admin's time zone: one entry per local calendar day of the
// period, the kinds that ran in it, counts per day and kind, durations, the problems.
struct DigestView {
  std::string zone;
  std::vector<std::string> days;        // YYYY-MM-DD, oldest first
  std::vector<std::int64_t> day_starts; // each day's local midnight, as local seconds
  std::vector<std::string> kinds;       // that ran in the period, in k_all_kinds order
  std::vector<std::map<std::string, StatusCounts>> per_day; // [day][kind]
  std::map<std::string, StatusCounts> per_kind;
  StatusCounts total;
  std::map<std::string, std::vector<DurationPoint>> durations; // successful runs, per kind
  std::map<std::string, double> median_s;                      // of those
  std::vector<const DigestRun*> problems; // failures and warnings, newest first
  std::vector<Staleness> last_success;
  std::vector<std::int64_t> legacy_bytes_per_day; // [day]
  [[nodiscard]] bool empty() const { return total.total() == 0; }
};

[[nodiscard]] DigestView view_of(const DigestData& data, std::int64_t max_age_s,
                                 const date::time_zone* tz);

// Epoch seconds as the admin's wall clock, in seconds (gnuplot's time axis has no zones).
[[nodiscard]] std::int64_t local_seconds(std::int64_t unix_seconds, const date::time_zone* tz);

// "3 h 20 min", "2 d 4 h", "45 s": an age or a duration for people.
[[nodiscard]] std::string human_duration(std::int64_t seconds);

} // namespace om::report
