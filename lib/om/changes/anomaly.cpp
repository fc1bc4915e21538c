#include <om/changes/anomaly.hpp>

#include <algorithm>
#include <cmath>

namespace om::changes {
namespace {

double median(std::vector<std::int64_t> values) {
  std::ranges::sort(values);
  const auto n = values.size();
  return n % 2 == 1
             ? static_cast<double>(values[n / 2])
             : (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2;
}

std::string number(double v) {
  return v == std::floor(v) ? std::to_string(static_cast<std::int64_t>(v)) : std::to_string(v);
}

} // namespace

std::optional<std::string> judge_changes(const std::vector<ChangeCounts>& history,
                                         const ChangeCounts& now, const AnomalyRule& rule) {
  if (rule.factor <= 0 || history.size() < rule.min_history)
    return std::nullopt;
  const auto n = std::min(history.size(), AnomalyRule::k_history);
  struct Kind {
    const char* verb;
    std::int64_t ChangeCounts::*count;
  };
  for (const Kind kind :
       {Kind{"added", &ChangeCounts::added}, Kind{"modified", &ChangeCounts::modified},
        Kind{"removed", &ChangeCounts::removed}}) {
    std::vector<std::int64_t> past;
    past.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      past.push_back(history[i].*kind.count);
    const auto usual = median(std::move(past));
    const auto count = now.*kind.count;
    if (count > rule.min_files && static_cast<double>(count) > rule.factor * usual)
      return std::string(kind.verb) + " " + std::to_string(count) + " files: over " +
             std::to_string(rule.factor) + " × the median " + number(usual) + " of the last " +
             std::to_string(n) + " backups, and over " + std::to_string(rule.min_files);
  }
  return std::nullopt;
}

} // namespace om::changes
