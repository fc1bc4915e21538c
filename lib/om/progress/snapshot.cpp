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

} // namespace om::progress
