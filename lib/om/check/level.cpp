#include <om/check/level.hpp>

#include <array>

namespace om::check {
namespace {
constexpr std::array<std::string_view, 4> k_levels{"repository", "archives", "data", "copy"};
constexpr std::array<std::string_view, 4> k_outcomes{"success", "corrupt", "failed", "cancelled"};
} // namespace

std::string_view name_of(Level level) {
  return k_levels.at(static_cast<std::size_t>(level));
}

std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < k_levels.size(); ++i) {
    if (k_levels.at(i) == name)
      return static_cast<Level>(i);
  }
  return std::nullopt;
}

std::string_view name_of(Outcome outcome) {
  return k_outcomes.at(static_cast<std::size_t>(outcome));
}

} // namespace om::check
