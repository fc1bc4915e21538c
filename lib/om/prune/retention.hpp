#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace om::prune {

// keep_hourly/daily/weekly/monthly, as backup_settings holds them.
struct RetentionPolicy {
  int hourly = 0;
  int daily = 0;
  int weekly = 0;
  int monthly = 0;
  [[nodiscard]] bool keeps_nothing() const {
    return hourly <= 0 && daily <= 0 && weekly <= 0 && monthly <= 0;
  }
};

// One backup the policy decides on: an id and when it was made (epoch seconds).
struct Candidate {
  std::string id;
  std::int64_t time = 0;
};

struct Decision {
  std::string id;
  std::int64_t time = 0;
  bool keep = false;
  std::string rule; // "daily #3", "monthly[oldest] #2"; empty when pruned
};

// borg 1.2's prune, exactly: newest first; per rule (hourly, daily, weekly, monthly) the newest
// backup of each period (local time of `tz`; ISO weeks) is kept until the rule's count is
// reached; a backup kept by one rule is not counted by the next but still fills its period;
// a rule that ends short keeps the oldest backup as "<rule>[oldest]". Ties in time keep the
// given order. Decisions come back newest first.
[[nodiscard]] std::vector<Decision> apply_retention(std::vector<Candidate> candidates,
                                                    const RetentionPolicy& policy,
                                                    const date::time_zone* tz);

} // namespace om::prune
