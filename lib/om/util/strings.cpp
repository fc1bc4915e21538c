#include <om/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>

namespace om::util {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view trim(std::string_view text) {
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && is_space(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && is_space(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0)
      out += sep;
    out += parts[i];
  }
  return out;
}

std::string_view unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front())
    return text.substr(1, text.size() - 2);
  return text;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  auto lower = to_lower(trim(text));
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on")
    return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off")
    return false;
  return std::nullopt;
}

std::string first_line(std::string_view text) {
  text = trim(text);
  auto pos = text.find('\n');
  return std::string(trim(text.substr(0, pos)));
}

bool is_hex(std::string_view text, std::size_t length) {
  return text.size() == length && std::ranges::all_of(text, [](unsigned char c) {
           return std::isdigit(c) != 0 || (c >= 'a' && c <= 'f');
         });
}

std::string shell_quote(std::string_view arg) {
  bool plain = !arg.empty() && std::ranges::all_of(arg, [](unsigned char c) {
    return std::isalnum(c) != 0 ||
           std::string_view("@%+=:,./-_").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (plain)
    return std::string(arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string summarize_warnings(const std::vector<std::string>& warnings) {
  if (warnings.empty())
    return {};
  std::string out = "warning: " + warnings.front();
  if (warnings.size() > 1)
    out += " (+" + std::to_string(warnings.size() - 1) + " more)";
  return out;
}

std::string human_bytes(std::int64_t bytes) {
  static constexpr std::array<const char*, 6> k_units{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < k_units.size()) {
    value /= 1024.0;
    ++unit;
  }
  std::array<char, 32> buf{};
  if (unit == 0)
    std::snprintf(buf.data(), buf.size(), "%lld B", static_cast<long long>(bytes));
  else
    std::snprintf(buf.data(), buf.size(), "%.1f %s", value, k_units[unit]);
  return buf.data();
}

std::optional<std::int64_t> parse_bytes(std::string_view text) {
  std::string_view unit = text;
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  unit.remove_prefix(digits);
  auto n = parse_int(text.substr(0, digits));
  if (digits == 0 || !n)
    return std::nullopt;
  static constexpr std::array<std::string_view, 5> k_prefixes{"", "K", "M", "G", "T"};
  for (std::size_t power = 0; power < k_prefixes.size(); ++power) {
    const auto& p = k_prefixes[power];
    if (power > 0 && !unit.starts_with(p))
      continue;
    const auto rest = unit.substr(p.size());
    const bool unit_named = rest.empty() || rest == "B" || (power > 0 && rest == "iB");
    if (!unit_named)
      continue;
    std::int64_t value = *n;
    for (std::size_t i = 0; i < power; ++i) {
      if (value > std::numeric_limits<std::int64_t>::max() / 1024)
        return std::nullopt;
      value *= 1024;
    }
    return value;
  }
  return std::nullopt;
}

std::size_t utf8_sequence_length(std::string_view text) {
  if (text.empty())
    return 0;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(0);
  if (b0 < 0x80)
    return 1;
  std::size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0)
    n = 2, cp = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0)
    n = 3, cp = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0)
    n = 4, cp = b0 & 0x07;
  else
    return 0;
  if (text.size() < n)
    return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(i) & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < k_min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // ASCII runs are most text: skip them a byte at a time without decoding.
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    auto n = utf8_sequence_length(text.substr(i));
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text))
    return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    auto n = utf8_sequence_length(text.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string fit_text(std::string_view text, std::size_t max_chars, std::size_t max_bytes) {
  auto chars_in = [](std::string_view t) {
    std::size_t n = 0;
    for (unsigned char c : t)
      n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  if (text.size() <= max_bytes && chars_in(text) <= max_chars)
    return std::string(text);
  std::string marker = "\u2026 (truncated, " + std::to_string(text.size()) + " bytes)";
  auto marker_chars = chars_in(marker);
  if (marker.size() > max_bytes || marker_chars > max_chars)
    return std::string(); // a column too small for the marker itself: nothing honest fits
  std::size_t room_bytes = max_bytes - marker.size();
  std::size_t room_chars = max_chars - marker_chars;
  std::size_t end = 0;
  std::size_t chars = 0;
  while (end < text.size() && chars < room_chars) {
    auto n = utf8_sequence_length(text.substr(end));
    n = n == 0 ? 1 : n;
    if (end + n > room_bytes)
      break;
    end += n;
    ++chars;
  }
  return std::string(text.substr(0, end)) + marker;
}

std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  static constexpr char k_hex[] = "0123456789abcdef";
  auto hex = [&](const char* prefix, unsigned char c) {
    out += prefix;
    out += k_hex[c >> 4];
    out += k_hex[c & 0xF];
  };
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    auto n = utf8_sequence_length(text.substr(i));
    if (n == 0) { // a lone byte: 0x9b alone is CSI on 8-bit terminals
      hex("\\x", c);
      ++i;
      continue;
    }
    auto next = n == 2 ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7F)
      hex("\\x", c);
    else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) // C1 controls, U+0080..U+009F
      hex("\\u00", next);
    else
      out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string redact_url_passwords(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto scheme = text.find("://", i);
    if (scheme == std::string_view::npos)
      break;
    auto start = scheme + 3;
    // The authority ends at the first '/', whitespace or quote; a password is between the
    // first ':' and the last '@' in it.
    auto end = start;
    while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '"' &&
           text[end] != '\n' && text[end] != '\'')
      ++end;
    auto authority = text.substr(start, end - start);
    auto at = authority.rfind('@');
    auto colon = at == std::string_view::npos ? std::string_view::npos : authority.find(':');
    out.append(text.substr(i, start - i));
    if (colon != std::string_view::npos && colon < at) {
      out.append(authority.substr(0, colon + 1)).append("***").append(authority.substr(at));
    } else {
      out.append(authority);
    }
    i = end;
  }
  out.append(text.substr(i));
  return out;
}

} // namespace om::util
