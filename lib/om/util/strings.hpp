#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace om::util {

// Splits on a single character; keeps empty fields.
[[nodiscard]] std::vector<std::string_view> split(std::string_view text, char sep);
[[nodiscard]] std::string_view trim(std::string_view text);
[[nodiscard]] bool starts_with_ci(std::string_view text, std::string_view prefix);
[[nodiscard]] std::string to_lower(std::string_view text);
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Parses a whole string as a base-10 integer; nullopt on anything else.
[[nodiscard]] std::optional<std::int64_t> parse_int(std::string_view text);
// Parses "yes/no/true/false/on/off/1/0" (case-insensitive).
[[nodiscard]] std::optional<bool> parse_bool(std::string_view text);
// The first line of a possibly multi-line message, trimmed.
[[nodiscard]] std::string first_line(std::string_view text);
[[nodiscard]] bool is_hex(std::string_view text, std::size_t length);
// Quotes an argument for display (dry-run output, debug logs); never used to run anything.
[[nodiscard]] std::string shell_quote(std::string_view arg);
// The error column of a job that succeeded with warnings (DESIGN.md §4):
// "warning: <first> (+N more)"; "" for none.
[[nodiscard]] std::string summarize_warnings(const std::vector<std::string>& warnings);
// Human size with binary units: "1.5 GiB".
[[nodiscard]] std::string human_bytes(std::int64_t bytes);

} // namespace om::util
