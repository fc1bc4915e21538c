#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace om::db {

// A statement parameter. std::monostate is SQL NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// Makes a nullable parameter from an optional.
template <class T> [[nodiscard]] Value nullable(const std::optional<T>& v) {
  if (!v)
    return std::monostate{};
  return Value(*v);
}

// How much text a column holds: VARCHAR(n) n characters (utf8mb4: up to 4n bytes), TEXT
// 65,535 bytes.
struct TextLimit {
  std::size_t chars;
  std::size_t bytes;
};
[[nodiscard]] constexpr TextLimit varchar(std::size_t n) {
  return {n, 4 * n};
}
inline constexpr TextLimit k_text_column{65535, 65535};

// A text parameter made to fit its column by us, never by the server: cut on a character
// boundary with a visible "… (truncated, N bytes)" marker (util::fit_text).
[[nodiscard]] Value fitted(std::string_view text, TextLimit limit);
[[nodiscard]] inline Value fitted(const std::string& text, TextLimit limit) {
  return fitted(std::string_view(text), limit);
}
[[nodiscard]] Value fitted(const std::optional<std::string>& text, TextLimit limit);

// One result row; every cell as text (as the server sends it), NULL as nullopt.
struct Row {
  std::vector<std::optional<std::string>> cells;

  [[nodiscard]] bool is_null(std::size_t i) const { return !cells.at(i).has_value(); }
  [[nodiscard]] std::string text(std::size_t i) const { return cells.at(i).value_or(""); }
  // The cell without a copy ("" for NULL); valid while the row lives.
  [[nodiscard]] std::string_view text_view(std::size_t i) const {
    const auto& c = cells.at(i);
    return c ? std::string_view(*c) : std::string_view();
  }
  [[nodiscard]] std::int64_t integer(std::size_t i, std::int64_t null_value = 0) const;
  [[nodiscard]] std::optional<std::int64_t> opt_integer(std::size_t i) const;
  [[nodiscard]] std::optional<std::string> opt_text(std::size_t i) const { return cells.at(i); }
};

using Rows = std::vector<Row>;

} // namespace om::db
