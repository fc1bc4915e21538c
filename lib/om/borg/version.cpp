#include <om/borg/version.hpp>

#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include <om/proc/run.hpp>
#include <om/util/strings.hpp>

namespace om::borg {
namespace {

// Reads a whole number at `at`, advancing it; nullopt when there is no digit.
std::optional<int> number_at(std::string_view text, std::size_t& at) {
  const auto start = at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 6)
    ++at;
  if (at == start)
    return std::nullopt;
  return static_cast<int>(*util::parse_int(text.substr(start, at - start)));
}

Result<std::optional<Version>> probe(const std::string& program) {
  proc::Command c;
  c.argv = {program, "--version"};
  c.timeout = std::chrono::seconds(30);
  auto ran = proc::run(c);
  if (!ran)
    return std::optional<Version>(); // not there: its first real command says so
  const auto& out = ran->stdout_text.empty() ? ran->stderr_text : ran->stdout_text;
  auto v = parse_version(out);
  if (!ran->success() || !v)
    return fail(ExitStatus::config, program + " --version " + ran->describe() + " and printed '" +
                                        util::first_line(out) +
                                        "': cannot tell which borg this is (om-backup supports "
                                        "borg " +
                                        std::string(k_supported_range) + ")");
  spdlog::info("borg {} ({})", v->text, program);
  if (!is_supported(*v))
    return fail(ExitStatus::config, program + " is borg " + v->text +
                                        ", which om-backup does not support (supported: borg " +
                                        std::string(k_supported_range) + ")");
  return v;
}

} // namespace

std::optional<Version> parse_version(std::string_view output) {
  const auto first = util::first_line(output);
  auto line = util::trim(first);
  // "borg 1.2.4", "borg-linux64 1.4.0", "borg 2.0.0b19": borg's name, then the version.
  auto space = line.rfind(' ');
  if (!line.starts_with("borg") || space == std::string_view::npos)
    return std::nullopt;
  auto text = line.substr(space + 1);
  std::size_t at = 0;
  Version v;
  auto major = number_at(text, at);
  if (!major || at >= text.size() || text[at] != '.')
    return std::nullopt;
  ++at;
  auto minor = number_at(text, at);
  if (!minor)
    return std::nullopt;
  std::optional<int> patch = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    patch = number_at(text, at);
    if (!patch)
      return std::nullopt;
  }
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  v.text = std::string(text);
  return v;
}

bool is_supported(const Version& v) {
  return v.major == 1 && (v.minor == 2 || v.minor == 4);
}

Result<std::optional<Version>> require_supported(const std::string& program) {
  static std::mutex mutex;
  static std::map<std::string, Result<std::optional<Version>>> probed;
  std::scoped_lock lock(mutex);
  auto it = probed.find(program);
  if (it == probed.end())
    it = probed.emplace(program, probe(program)).first;
  return it->second;
}

} // namespace om::borg
