#include <om/borg/surrogates.hpp>

#include <cctype>

namespace om::borg {
namespace {

bool hex_at(std::string_view s, std::size_t i, std::size_t n) {
  if (i + n > s.size())
    return false;
  for (std::size_t k = i; k < i + n; ++k) {
    if (std::isxdigit(static_cast<unsigned char>(s[k])) == 0)
      return false;
  }
  return true;
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// "\uXXXX" at i (its backslash not itself escaped: the caller walks escapes pairwise).
bool unicode_escape_at(std::string_view s, std::size_t i) {
  return i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u' && hex_at(s, i + 2, 4);
}

} // namespace

std::optional<std::string> hide_surrogates(std::string_view json) {
  std::string out;
  bool hid = false;
  bool high_before = false; // the escape just before was a high surrogate (a real pair)
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '\\') {
      high_before = false;
      out += json[i];
      continue;
    }
    if (!unicode_escape_at(json, i)) { // \\, \", \n ...: copied as a pair
      high_before = false;
      out += json.substr(i, 2);
      ++i;
      continue;
    }
    const char a = lower(json[i + 2]);
    const char b = lower(json[i + 3]);
    const char c = lower(json[i + 4]);
    if (a == 'f' && b == '7')
      return std::nullopt; // a real private-use character: ours would be taken for it
    const bool high = a == 'd' && (b == '8' || b == '9' || b == 'a' || b == 'b');
    const bool lone_escape = a == 'd' && b == 'c' && c >= '8' && !high_before;
    if (lone_escape) {
      out += "\\uf7";
      out += json.substr(i + 4, 2);
      hid = true;
    } else {
      out += json.substr(i, 6);
    }
    high_before = high;
    i += 5;
  }
  if (!hid)
    return std::nullopt;
  return out;
}

std::string bytes_of(std::string_view parsed) {
  std::string out;
  out.reserve(parsed.size());
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    // U+F780..U+F7FF in UTF-8: EF 9E 80..BF (0x80-0xBF), EF 9F 80..BF (0xC0-0xFF).
    const auto u = [&](std::size_t k) { return static_cast<unsigned char>(parsed[k]); };
    if (u(i) == 0xEF && i + 2 < parsed.size() && (u(i + 1) == 0x9E || u(i + 1) == 0x9F) &&
        u(i + 2) >= 0x80 && u(i + 2) <= 0xBF) {
      out += static_cast<char>((u(i + 1) == 0x9E ? 0x80 : 0xC0) + (u(i + 2) - 0x80));
      i += 2;
      continue;
    }
    out += parsed[i];
  }
  return out;
}

} // namespace om::borg
