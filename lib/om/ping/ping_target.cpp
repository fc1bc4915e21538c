#include <om/ping/ping_target.hpp>

#include <array>
#include <utility>

namespace om::ping {
namespace {

constexpr std::array<std::pair<PingStyle, std::string_view>, 4> k_styles{{
    {PingStyle::healthchecks, "healthchecks"},
    {PingStyle::uptime_kuma, "uptime-kuma"},
    {PingStyle::ntfy, "ntfy"},
    {PingStyle::json, "json"},
}};

// The end of "scheme://host[:port]", or npos when the URL has no host.
std::size_t authority_end(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos)
    return std::string_view::npos;
  auto end = url.find_first_of("/?#", scheme + 3);
  if (end == std::string_view::npos)
    end = url.size();
  return end > scheme + 3 ? end : std::string_view::npos;
}

} // namespace

std::string_view to_string(PingStyle style) {
  for (const auto& [s, name] : k_styles) {
    if (s == style)
      return name;
  }
  return "healthchecks";
}

std::optional<PingStyle> parse_style(std::string_view text) {
  for (const auto& [s, name] : k_styles) {
    if (name == text)
      return s;
  }
  return std::nullopt;
}

Result<PingTarget> parse_ping_url(std::string_view value, PingStyle default_style) {
  PingTarget t{default_style, std::string(value)};
  for (const auto& [s, name] : k_styles) {
    if (value.starts_with(name) && value.substr(name.size()).starts_with(':') &&
        !value.substr(name.size()).starts_with("://")) {
      t.style = s;
      t.url = std::string(value.substr(name.size() + 1));
      break;
    }
  }
  const std::string_view url = t.url;
  const bool http = url.starts_with("http://") || url.starts_with("https://");
  if (!http || authority_end(url) == std::string_view::npos)
    return fail(ExitStatus::config, "ping-url '" + redacted(url) +
                                        "' is not [STYLE:]http(s)://HOST/... (STYLE: "
                                        "healthchecks, uptime-kuma, ntfy or json)");
  if (url.find_first_of(" \t\r\n") != std::string_view::npos)
    return fail(ExitStatus::config, "ping-url '" + redacted(url) + "' holds white space");
  return t;
}

std::string server_of(std::string_view url) {
  auto end = authority_end(url);
  if (end == std::string_view::npos)
    return "";
  std::string out(url.substr(0, end));
  // user:password@ in the authority is a secret too
  if (auto at = out.rfind('@'); at != std::string::npos)
    out.erase(out.find("://") + 3, at - (out.find("://") + 3) + 1);
  return out;
}

std::string redacted(std::string_view url) {
  auto server = server_of(url);
  if (server.empty())
    return "(a URL without a host)";
  return authority_end(url) < url.size() ? server + "/…" : server;
}

} // namespace om::ping
