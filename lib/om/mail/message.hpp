#pragma once

#include <string>
#include <string_view>

// The text of a mail message: base64 and header encoding, for every message om-backup writes
// (a job's notification, the weekly digest) and for HTTP headers that follow the same rule.
namespace om::mail {

// `bytes` as base64 (RFC 4648), one line.
[[nodiscard]] std::string base64(std::string_view bytes);

// A MIME body part as base64 in lines of 76 characters, each ending in CRLF (RFC 2045).
[[nodiscard]] std::string base64_lines(std::string_view bytes);

// A header's value: printable ASCII as it is; anything else (UTF-8, a control character, a line
// break) as RFC 2047 encoded words of valid UTF-8, each at most 75 characters and never
// splitting a character, so a host or job name is never shortened or turned into '?'.
[[nodiscard]] std::string header_text(std::string_view text);

} // namespace om::mail
