#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <om/util/error.hpp>

namespace om::util {

// An instant (epoch seconds), shown as local time in tables and ISO 8601 with offset in JSON.
struct Instant {
  std::int64_t seconds;
};
// A cell: NULL, a number, text or an instant.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string, Instant>;

// Rows with named columns: what every report and listing prints, in whichever format was
// asked (a table for a terminal, JSON or CSV for programs).
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

enum class Format { table, json, csv };
[[nodiscard]] Result<Format> parse_format(const std::string& name);

// table: aligned columns for a terminal; json: an array of objects named by the columns;
// csv: RFC 4180 with a header line.
[[nodiscard]] std::string render(const Table& table, Format format);
// One record as a JSON object (for `job ID --json`).
[[nodiscard]] std::string render_object(const Table& table, std::size_t row);

} // namespace om::util
