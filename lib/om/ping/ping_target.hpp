#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

// Where a job's start and end are told, so that a job that never ran raises an alarm there
// (a dead man's switch): Healthchecks.io and compatibles, Uptime Kuma's push monitors, ntfy
// topics, or any URL that takes a JSON POST.
namespace om::ping {

enum class PingStyle { healthchecks, uptime_kuma, ntfy, json };

[[nodiscard]] std::string_view to_string(PingStyle style);
[[nodiscard]] std::optional<PingStyle> parse_style(std::string_view text);

struct PingTarget {
  PingStyle style = PingStyle::healthchecks;
  std::string url; // http:// or https://; its path and query are secrets (tokens)
};

// A `ping-url` value: `URL`, or `STYLE:URL` (healthchecks:, uptime-kuma:, ntfy:, json:), with
// `default_style` for a plain URL. Anything but an http(s) URL with a host is exit 78.
[[nodiscard]] Result<PingTarget> parse_ping_url(std::string_view value, PingStyle default_style);

// "scheme://host[:port]" of a URL, without any user:password@; "" when it has no host.
[[nodiscard]] std::string server_of(std::string_view url);

// The URL as it may be logged: scheme and host only ("https://hc-ping.com/…"): the rest
// carries the token.
[[nodiscard]] std::string redacted(std::string_view url);

} // namespace om::ping
