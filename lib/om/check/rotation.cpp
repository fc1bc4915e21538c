#include <om/check/rotation.hpp>

#include <algorithm>
#include <tuple>

namespace om::check {
std::vector<RotationArchive>
pick_for_rotation(std::vector<RotationArchive> archives, std::int64_t cycle_started_at,
                  std::int64_t budget_bytes,
                  const std::function<std::int64_t(const RotationArchive&)>& size_of) {
  std::erase_if(archives, [&](const RotationArchive& a) { return a.read_since(cycle_started_at); });
  std::ranges::sort(archives, [](const RotationArchive& a, const RotationArchive& b) {
    return std::tuple(a.verified_at.has_value(), a.verified_at.value_or(0), a.start, a.name) <
           std::tuple(b.verified_at.has_value(), b.verified_at.value_or(0), b.start, b.name);
  });
  std::vector<RotationArchive> chosen;
  std::int64_t planned = 0;
  for (auto& a : archives) {
    a.bytes = size_of(a);
    if (!chosen.empty() && planned + a.bytes > budget_bytes)
      break;
    planned += a.bytes;
    chosen.push_back(std::move(a));
  }
  return chosen;
}

double rotation_share(const std::vector<RotationArchive>& archives, std::int64_t cycle_started_at) {
  if (archives.empty())
    return 1.0;
  auto read = std::ranges::count_if(
      archives, [&](const RotationArchive& a) { return a.read_since(cycle_started_at); });
  return static_cast<double>(read) / static_cast<double>(archives.size());
}

} // namespace om::check
