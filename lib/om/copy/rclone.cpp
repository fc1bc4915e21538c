#include <om/copy/rclone.hpp>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <spdlog/spdlog.h>

#include <om/proc/run.hpp>
#include <om/util/strings.hpp>

namespace om::copy {
namespace {

// rclone prints a few lines as text before its log starts: "2026/11/27 13:26:34 Failed to …".
std::string without_timestamp(std::string text) {
  if (text.size() > 20 && text[4] == '/' && text[7] == '/' && text[10] == ' ' && text[13] == ':' &&
      text[16] == ':' && text[19] == ' ')
    text.erase(0, 20);
  return text;
}

bool is_config_problem(const std::string& message) {
  return message.find("didn't find section in config file") != std::string::npos ||
         message.find("Failed to load config file") != std::string::npos ||
         (message.find("config file") != std::string::npos &&
          message.find("not found") != std::string::npos);
}

bool is_missing_directory(const RcloneRun& run) {
  return run.outcome.exited_with(3) || std::ranges::any_of(run.errors, [](const std::string& e) {
           return e.find("directory not found") != std::string::npos;
         });
}

} // namespace

Error RcloneRun::error() const {
  std::string message = errors.empty() ? outcome.describe() : errors.front();
  if (outcome.interrupted_by != 0)
    return Error{ExitStatus::interrupted, what + ": interrupted"};
  const bool config = std::ranges::any_of(errors, is_config_problem);
  return Error{config ? ExitStatus::config : ExitStatus::failed,
               what + ": " + util::first_line(message)};
}

Rclone::Rclone(std::string program, std::string config_file)
    : m_program(std::move(program)), m_config_file(std::move(config_file)) {}

proc::Command Rclone::command(std::vector<std::string> args) const {
  proc::Command cmd;
  cmd.argv.push_back(m_program);
  if (!m_config_file.empty()) {
    cmd.argv.emplace_back("--config");
    cmd.argv.push_back(m_config_file);
  }
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  // Never a question on a terminal: rclone asks for an encrypted config's password otherwise.
  cmd.env_set["RCLONE_ASK_PASSWORD"] = "false";
  // A server that stops answering fails the copy in a minute, not rclone's five; the
  // environment (RCLONE_TIMEOUT, RCLONE_CONTIMEOUT) still decides when it says otherwise.
  for (const auto& [name, value] :
       {std::pair{"RCLONE_TIMEOUT", "60s"}, {"RCLONE_CONTIMEOUT", "15s"}}) {
    if (std::getenv(name) == nullptr)
      cmd.env_set[name] = value;
  }
  cmd.env_unset = {"RCLONE_CONFIG"};
  return cmd;
}

Result<RcloneRun> Rclone::run_collecting(std::vector<std::string> args,
                                         const std::function<void(const LogLine&)>& on_log,
                                         bool collect_stdout) const {
  RcloneRun run;
  run.what = "rclone " + (args.empty() ? std::string() : args.front());
  auto cmd = command(std::move(args));
  proc::Streams streams;
  if (!collect_stdout)
    streams.on_stdout_line = [](std::string_view line) { spdlog::debug("rclone: {}", line); };
  streams.on_stderr_line = [&run, &on_log](std::string_view raw) {
    auto line = parse_log_line(raw);
    if (line.message.empty() && !line.stats)
      return;
    // rclone names remotes by their URLs, which an admin may have written with a password.
    line.message = util::redact_url_passwords(line.message);
    line.object = util::redact_url_passwords(line.object);
    if (line.stats)
      run.stats = *line.stats;
    if (!line.parsed || line.level == "error" || line.level == "critical") {
      auto message = without_timestamp(line.message);
      if (!line.object.empty())
        message = line.object + ": " + message;
      run.errors.push_back(std::move(message));
    }
    if (on_log)
      on_log(line);
  };
  auto outcome = proc::run(cmd, streams);
  if (!outcome)
    return std::unexpected(outcome.error().context(run.what));
  run.outcome = std::move(*outcome);
  return run;
}

Result<RcloneRun> Rclone::run(std::vector<std::string> args,
                              const std::function<void(const LogLine&)>& on_log) const {
  for (const char* a :
       {"--use-json-log", "--log-level", "INFO", "--stats", "1s", "--stats-log-level", "NOTICE"})
    args.emplace_back(a);
  return run_collecting(std::move(args), on_log, false);
}

Result<std::vector<RemoteFile>> Rclone::lsjson(std::vector<std::string> flags,
                                               const std::string& place) const {
  flags.insert(flags.begin(), "lsjson");
  flags.insert(flags.end(), {"--no-mimetype", "--no-modtime", "--use-json-log", place});
  OM_TRY(run, run_collecting(std::move(flags), {}, true));
  if (!run.ok()) {
    if (is_missing_directory(run))
      return std::vector<RemoteFile>{};
    return std::unexpected(run.error().context("listing " + place));
  }
  return parse_listing(run.outcome.stdout_text);
}

Result<std::vector<RemoteFile>> Rclone::list(const std::string& place) const {
  return lsjson({"--recursive", "--files-only"}, place);
}

Result<std::vector<std::string>> Rclone::folders(const std::string& place) const {
  OM_TRY(entries, lsjson({"--dirs-only"}, place));
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (const auto& e : entries) {
    if (e.is_dir)
      names.push_back(e.path);
  }
  return names;
}

Result<std::string> Rclone::version() const {
  OM_TRY(run, run_collecting({"version"}, {}, true));
  if (!run.ok())
    return std::unexpected(run.error());
  auto first = util::first_line(run.outcome.stdout_text);
  auto v = first.find(' ');
  return std::string(v == std::string::npos ? first : first.substr(v + 1));
}

} // namespace om::copy
