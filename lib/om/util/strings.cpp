#include <om/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

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
    return std::isalnum(c) != 0 || std::string_view("@%+=:,./-_").find(static_cast<char>(c)) !=
                                       std::string_view::npos;
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

} // namespace om::util
