#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace date {
class time_zone;
}

namespace om::util {

// Seconds since the epoch, now.
[[nodiscard]] std::int64_t now_unix();
// Microseconds since the epoch, now.
[[nodiscard]] std::int64_t now_unix_us();
// Milliseconds on a monotonic clock, for durations.
[[nodiscard]] std::int64_t monotonic_ms();

// A time zone by IANA name; "" means this machine's zone (TZ, then /etc/localtime).
[[nodiscard]] Result<const date::time_zone*> find_zone(std::string_view name);

// Parses a naive local time "YYYY-MM-DD[T| ]HH:MM:SS[.fraction]" in zone `tz` into epoch
// seconds (fraction dropped). Ambiguous times (DST fold) take the earlier instant.
[[nodiscard]] Result<std::int64_t> parse_local_time(std::string_view text,
                                                    const date::time_zone* tz);

// Whether `text` has the form parse_local_time reads and names a real calendar time
// (2026-02-30 does not). Cheap: for checking every archive of a long listing.
[[nodiscard]] bool is_local_time(std::string_view text);

// Formats epoch seconds in zone `tz` with a strftime-like format (date::format syntax).
[[nodiscard]] std::string format_time(std::int64_t unix_seconds, const date::time_zone* tz,
                                      const char* fmt);

// ISO 8601 with offset, e.g. 2026-11-26T15:55:52+00:00.
[[nodiscard]] std::string iso8601(std::int64_t unix_seconds, const date::time_zone* tz);

// A duration: "26h", "90m", "2d", "3600s", "2w" (seconds). Anything else is a usage error
// (exit 64).
[[nodiscard]] Result<std::int64_t> parse_duration(std::string_view text);

} // namespace om::util
