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
// The text inside one pair of matching quotes ("…" or '…'), as INI readers take a value;
// anything else unchanged.
[[nodiscard]] std::string_view unquote(std::string_view text);
// Parses a whole string as a base-10 integer; nullopt on anything else.
[[nodiscard]] std::optional<std::int64_t> parse_int(std::string_view text);
// Parses "yes/no/true/false/on/off/1/0" (case-insensitive).
[[nodiscard]] std::optional<bool> parse_bool(std::string_view text);
// The first line of a possibly multi-line message, trimmed.
[[nodiscard]] std::string first_line(std::string_view text);
[[nodiscard]] bool is_hex(std::string_view text, std::size_t length);
// Quotes an argument for display (dry-run output, debug logs); never used to run anything.
[[nodiscard]] std::string shell_quote(std::string_view arg);
// The error column of a job that succeeded with warnings (README, "Exit status"):
// "warning: <first> (+N more)"; "" for none.
[[nodiscard]] std::string summarize_warnings(const std::vector<std::string>& warnings);
// The length of the valid UTF-8 sequence at the start of `text` (1 to 4), or 0 when the
// first bytes are not one (stray continuation, overlong form, surrogate, past U+10FFFF, cut).
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view text);
[[nodiscard]] bool is_valid_utf8(std::string_view text);
// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD: text from logs
// and file names is kept, never rejected, and never stored as something a server refuses.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);
// Valid UTF-8 `text` made to fit `max_chars` characters and `max_bytes` bytes: unchanged when
// it fits, else cut on a character boundary and ended by "… (truncated, N bytes)" (N: the
// whole text's size), the whole within both limits.
[[nodiscard]] std::string fit_text(std::string_view text, std::size_t max_chars,
                                   std::size_t max_bytes);
// Control characters (terminal escape sequences among them) as visible escapes: "\x1b",
// "\n", "\t". For text printed to a terminal; everything else is left as it is.
[[nodiscard]] std::string escape_controls(std::string_view text);

// `text` with the password of every URL in it hidden: "https://user:secret@host/" becomes
// "https://user:***@host/" (for messages of tools that may print their URLs).
[[nodiscard]] std::string redact_url_passwords(std::string_view text);

// Human size with binary units: "1.5 GiB".
[[nodiscard]] std::string human_bytes(std::int64_t bytes);
// A size as people write it: "1048576", "512K", "500M", "2G", "1T" (binary units; "2GiB" and
// "2GB" mean the same). Nothing else, and no negative or overflowing size.
[[nodiscard]] std::optional<std::int64_t> parse_bytes(std::string_view text);

} // namespace om::util
