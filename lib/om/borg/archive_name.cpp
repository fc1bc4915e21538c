#include <om/borg/archive_name.hpp>

#include <cstdio>

#include <date/tz.h>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::borg {
namespace {

// strftime's %f (microseconds, as in Python and borg's own placeholders) is not date's: it is
// filled in here, before the rest of the format is handed on.
std::string with_microseconds(std::string_view fmt, std::int64_t now_us) {
  std::string out(fmt);
  char micros[8];
  std::snprintf(micros, sizeof micros, "%06lld", static_cast<long long>(now_us % 1'000'000));
  for (auto pos = out.find("%f"); pos != std::string::npos; pos = out.find("%f", pos + 6))
    out.replace(pos, 2, micros);
  return out;
}

Result<std::string> expand(std::string_view format, std::int64_t now_us,
                           const std::string& hostname, const std::string& user,
                           bool stop_at_time) {
  std::string out;
  std::size_t i = 0;
  while (i < format.size()) {
    char c = format[i];
    if (c != '{') {
      out += c;
      ++i;
      continue;
    }
    auto close = format.find('}', i);
    if (close == std::string_view::npos)
      return fail(ExitStatus::config, "archive format '" + std::string(format) + "': unclosed '{'");
    auto field = format.substr(i + 1, close - i - 1);
    auto colon = field.find(':');
    auto name = field.substr(0, colon);
    auto fmt = colon == std::string_view::npos ? std::string_view("%Y-%m-%dT%H:%M:%S")
                                               : field.substr(colon + 1);
    if (name == "hostname") {
      out += hostname;
    } else if (name == "user") {
      out += user;
    } else if (name == "now" || name == "utcnow") {
      if (stop_at_time)
        return out;
      const date::time_zone* tz = name == "now" ? date::current_zone() : date::locate_zone("UTC");
      out += util::format_time(now_us / 1'000'000, tz, with_microseconds(fmt, now_us).c_str());
    } else {
      return fail(ExitStatus::config, "archive format '" + std::string(format) +
                                          "': unknown placeholder {" + std::string(name) + "}");
    }
    i = close + 1;
  }
  return out;
}

} // namespace

Result<std::string> expand_archive_name(std::string_view format, std::int64_t now_us,
                                        const std::string& hostname, const std::string& user) {
  OM_TRY(name, expand(format, now_us, hostname, user, false));
  if (name.empty() || name.find('/') != std::string::npos || name.ends_with(".checkpoint"))
    return fail(ExitStatus::config, "archive format '" + std::string(format) +
                                        "' gives an invalid archive name '" + name + "'");
  return name;
}

Result<std::string> archive_prefix(std::string_view format, const std::string& hostname,
                                   const std::string& user) {
  OM_TRY(prefix, expand(format, 0, hostname, user, true));
  if (prefix.empty() || prefix.find_first_of("*?[") != std::string::npos)
    return fail(ExitStatus::config,
                "archive format '" + std::string(format) +
                    "' must start with a fixed prefix (like om-{hostname}-) so pruning can be "
                    "limited to this host's archives");
  return prefix;
}

std::string pruned_archive_id(std::string_view line) {
  if (!line.starts_with("Pruning archive") && !line.starts_with("Would prune"))
    return {};
  auto open = line.rfind('[');
  auto close = line.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return {};
  auto id = line.substr(open + 1, close - open - 1);
  return util::is_hex(id, 64) ? std::string(id) : std::string();
}

} // namespace om::borg
