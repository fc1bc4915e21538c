#include <om/util/json_writer.hpp>

#include <array>
#include <cmath>
#include <cstdio>

namespace om::util {
namespace {

// Length of a valid UTF-8 sequence starting at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > text.size())
    return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
      return 0;
  }
  return n;
}

} // namespace

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        std::array<char, 8> buf{};
        std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
        out += buf.data();
      } else if (c < 0x80) {
        out += static_cast<char>(c);
      } else if (auto n = utf8_length(text, i); n > 0) {
        out.append(text.substr(i, n));
        i += n - 1;
      } else {
        out += "\\ufffd";
      }
    }
  }
  return out + "\"";
}

void JsonWriter::separate() {
  if (m_need_comma)
    m_out += ',';
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  m_out += '{';
  m_need_comma = false;
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  m_out += '}';
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  m_out += '[';
  m_need_comma = false;
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  m_out += ']';
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  m_out += json_quote(name);
  m_out += ':';
  m_need_comma = false;
  return *this;
}
JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  m_out += json_quote(text);
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::value(std::int64_t number) {
  separate();
  m_out += std::to_string(number);
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::value(double number) {
  separate();
  if (!std::isfinite(number)) {
    m_out += "null";
  } else {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.17g", number);
    m_out += buf.data();
  }
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::value(bool flag) {
  separate();
  m_out += flag ? "true" : "false";
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::null() {
  separate();
  m_out += "null";
  m_need_comma = true;
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  m_out += json;
  m_need_comma = true;
  return *this;
}

} // namespace om::util
