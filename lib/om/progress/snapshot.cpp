#include <om/progress/snapshot.hpp>

#include <algorithm>
#include <cmath>

namespace om::progress {

Estimate estimate(std::int64_t elapsed_ms, std::optional<std::int64_t> previous_ms) {
  if (!previous_ms || *previous_ms <= 0)
    return {};
  elapsed_ms = std::max<std::int64_t>(elapsed_ms, 0);
  const double fraction = static_cast<double>(elapsed_ms) / static_cast<double>(*previous_ms);
  Estimate e;
  e.percent = std::min(99.0, std::floor(fraction * 1000.0) / 10.0);
  if (elapsed_ms <= *previous_ms)
    e.eta_seconds = (*previous_ms - elapsed_ms + 999) / 1000;
  return e;
}

Estimate estimate_from_bytes(std::int64_t elapsed_ms, std::int64_t done, std::int64_t total) {
  if (total <= 0)
    return {};
  done = std::clamp<std::int64_t>(done, 0, total);
  Estimate e;
  e.percent = std::min(
      99.9, std::floor(static_cast<double>(done) * 1000.0 / static_cast<double>(total)) / 10.0);
  if (done > 0 && elapsed_ms > 0)
    e.eta_seconds = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(elapsed_ms) * static_cast<double>(total - done) /
                  static_cast<double>(done) / 1000.0));
  return e;
}

} // namespace om::progress
