#include <om/db/value.hpp>

#include <om/util/strings.hpp>

namespace om::db {

Value fitted(std::string_view text, TextLimit limit) {
  return util::fit_text(util::to_valid_utf8(text), limit.chars, limit.bytes);
}

Value fitted(const std::optional<std::string>& text, TextLimit limit) {
  if (!text)
    return std::monostate{};
  return fitted(std::string_view(*text), limit);
}

std::int64_t Row::integer(std::size_t i, std::int64_t null_value) const {
  return opt_integer(i).value_or(null_value);
}

std::optional<std::int64_t> Row::opt_integer(std::size_t i) const {
  const auto& cell = cells.at(i);
  if (!cell)
    return std::nullopt;
  if (auto v = util::parse_int(*cell))
    return v;
  // DECIMAL/DOUBLE results (SUM, AVG): truncate toward zero.
  try {
    return static_cast<std::int64_t>(std::stod(*cell));
  } catch (...) {
    return std::nullopt;
  }
}

} // namespace om::db
