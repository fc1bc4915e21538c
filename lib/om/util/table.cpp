#include <om/util/table.hpp>

#include <algorithm>
#include <cstdio>

#include <date/tz.h>

#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::util {
namespace {

std::string text_of(const Cell& cell, bool iso) {
  if (std::holds_alternative<std::monostate>(cell))
    return "";
  if (const auto* i = std::get_if<std::int64_t>(&cell))
    return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", *d);
    return buf;
  }
  if (const auto* t = std::get_if<Instant>(&cell))
    return iso ? iso8601(t->seconds, date::current_zone())
               : format_time(t->seconds, date::current_zone(), "%Y-%m-%d %H:%M:%S");
  return std::get<std::string>(cell);
}

void json_value(JsonWriter& w, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell))
    w.null();
  else if (const auto* i = std::get_if<std::int64_t>(&cell))
    w.value(*i);
  else if (const auto* d = std::get_if<double>(&cell))
    w.value(*d);
  else
    w.value(text_of(cell, true));
}

void json_row(JsonWriter& w, const Table& t, std::size_t r) {
  w.begin_object();
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    w.key(t.columns[c]);
    json_value(w, t.rows[r][c]);
  }
  w.end_object();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One line per cell in a terminal table, and nothing a terminal would act on: newlines in
// errors would break the columns, and an escape sequence in an archive name or a log line
// must reach an admin's terminal as text, never as a command to it.
std::string one_line(std::string_view s) {
  return escape_controls(s);
}

// Columns line up by characters, not bytes (an archive named in Greek is not wider).
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

} // namespace

Result<Format> parse_format(const std::string& name) {
  if (name == "table")
    return Format::table;
  if (name == "json")
    return Format::json;
  if (name == "csv")
    return Format::csv;
  return fail(ExitStatus::usage, "unknown format '" + name + "' (table, json or csv)");
}

std::string render(const Table& t, Format format) {
  std::string out;
  if (format == Format::json) {
    JsonWriter w;
    w.begin_array();
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      json_row(w, t, r);
    w.end_array();
    return w.str() + "\n";
  }
  if (format == Format::csv) {
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      out.append(c > 0 ? "," : "").append(csv_field(t.columns[c]));
    out += "\r\n";
    for (const auto& row : t.rows) {
      for (std::size_t c = 0; c < row.size(); ++c)
        out.append(c > 0 ? "," : "").append(csv_field(text_of(row[c], true)));
      out += "\r\n";
    }
    return out;
  }
  std::vector<std::size_t> width(t.columns.size());
  std::vector<std::vector<std::string>> cells;
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    width[c] = display_width(t.columns[c]);
  for (const auto& row : t.rows) {
    std::vector<std::string> line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line.push_back(one_line(text_of(row[c], false)));
      width[c] = std::max(width[c], display_width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto emit = [&](const std::vector<std::string>& line) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      out += line[c];
      if (c + 1 < line.size())
        out += std::string(width[c] - display_width(line[c]) + 2, ' ');
    }
    out += "\n";
  };
  emit(t.columns);
  for (const auto& line : cells)
    emit(line);
  return out;
}

std::string render_object(const Table& t, std::size_t row) {
  JsonWriter w;
  json_row(w, t, row);
  return w.str();
}

} // namespace om::util
