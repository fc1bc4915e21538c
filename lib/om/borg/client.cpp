#include <om/borg/client.hpp>

#include <cstdlib>

#include <sys/stat.h>

#include <om/borg/parse.hpp>
#include <om/borg/version.hpp>
#include <om/proc/run.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::borg {

Result<Passphrase> resolve_passphrase(const std::string& passphrase_file) {
  Passphrase p;
  if (!passphrase_file.empty()) {
    struct stat st {};
    if (::stat(passphrase_file.c_str(), &st) != 0)
      return fail(ExitStatus::config, "passphrase file " + passphrase_file + " does not exist");
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
      return fail(ExitStatus::config, "passphrase file " + passphrase_file +
                                          " is readable by group or others: chmod 600 it");
    auto content = util::read_file(passphrase_file);
    if (!content)
      return fail(ExitStatus::config, content.error().message);
    std::string secret = *content;
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
      secret.pop_back();
    p.env["BORG_PASSPHRASE"] = secret;
    p.available = true;
    return p;
  }
  for (const char* name : {"BORG_PASSPHRASE", "BORG_PASSCOMMAND", "BORG_PASSPHRASE_FD"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0')
      p.available = true;
  }
  return p;
}

Result<void> require_passphrase(const Passphrase& passphrase) {
  if (passphrase.available)
    return {};
  return fail(ExitStatus::config,
              "no borg passphrase: set BORG_PASSPHRASE or BORG_PASSCOMMAND in the environment "
              "(for cron, in the crontab or /etc/om-backup/om-backup.env), or use "
              "--passphrase-file FILE (mode 0600)");
}

std::string Invocation::connection_reason() const {
  std::string reason;
  // borg passes ssh's messages on as "Remote: ..." warnings, when it reads them in time...
  for (auto it = warnings.rbegin(); it != warnings.rend() && reason.empty(); ++it) {
    if (it->message.starts_with("Remote: "))
      reason = util::trim(it->message.substr(8));
  }
  // ...and ssh keeps its own record when it was given one.
  if (reason.empty() && !ssh_log.empty()) {
    const auto text = util::read_file(ssh_log).value_or(""); // the lines below point into it
    for (auto line : util::split(text, '\n')) {
      if (!util::trim(line).empty())
        reason = util::trim(line);
    }
  }
  return reason;
}

Error Invocation::error() const {
  ExitStatus status = ExitStatus::failed;
  switch (error_kind) {
  case ErrorKind::passphrase_missing:
  case ErrorKind::passphrase_wrong:
    status = ExitStatus::config;
    break;
  case ErrorKind::lock_timeout:
    status = ExitStatus::temp_fail;
    break;
  default:
    break;
  }
  std::string message;
  if (!errors.empty())
    message = util::first_line(errors.front().message);
  else if (outcome.interrupted_by != 0)
    message = "interrupted";
  else
    message = outcome.describe();
  // A connection that closed at once: what the far end (ssh, usually) said is the reason.
  if (!errors.empty() && errors.front().msgid.starts_with("ConnectionClosed")) {
    if (auto reason = connection_reason(); !reason.empty())
      message = util::escape_controls(reason) + " (" + message + ")";
  }
  if (error_kind == ErrorKind::passphrase_missing)
    message += " (set BORG_PASSPHRASE or BORG_PASSCOMMAND, or use --passphrase-file)";
  return Error{status, what + ": " + message};
}

Client::Client(std::string program, Passphrase passphrase, std::chrono::seconds timeout,
               Reach reach)
    : m_program(std::move(program)), m_passphrase(std::move(passphrase)), m_timeout(timeout),
      m_reach(std::move(reach)) {}

proc::Command Client::command(std::vector<std::string> args) const {
  proc::Command cmd;
  cmd.argv.push_back(m_program);
  if (!args.empty()) {
    cmd.argv.push_back(args.front());
    cmd.argv.emplace_back("--log-json");
    cmd.argv.insert(cmd.argv.end(), m_reach.common_args.begin(), m_reach.common_args.end());
    cmd.argv.insert(cmd.argv.end(), args.begin() + 1, args.end());
  }
  cmd.env_unset = m_reach.env_unset;
  cmd.env_set = m_reach.env;
  for (const auto& [name, value] : m_passphrase.env)
    cmd.env_set[name] = value;
  // Times in borg's JSON are naive local times of the borg process: make them UTC.
  cmd.env_set["TZ"] = "UTC";
  cmd.env_set["LC_ALL"] = "C.UTF-8";
  // Never answer a question borg asks on a terminal: fail instead.
  cmd.env_set["BORG_RELOCATED_REPO_ACCESS_IS_OK"] = "no";
  cmd.env_set["BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK"] = "no";
  cmd.env_set["BORG_CHECK_I_KNOW_WHAT_I_AM_DOING"] = "NO";
  cmd.env_set["BORG_DELETE_I_KNOW_WHAT_I_AM_DOING"] = "NO";
  // borg 1.4 can exit with specific codes (BORG_EXIT_CODES=modern); ours map rc 0/1/2 and the
  // message ids, so the answer is the same whatever the admin's environment says. 1.2 ignores it.
  cmd.env_set["BORG_EXIT_CODES"] = "legacy";
  cmd.timeout = m_timeout;
  return cmd;
}

proc::Streams Client::collect(Invocation& inv, const std::function<void(const LogLine&)>& on_log,
                              const proc::LineHandler& on_stdout) {
  proc::Streams streams;
  streams.on_stdout_line = on_stdout;
  streams.on_stderr_line = [&inv, on_log](std::string_view raw) {
    auto line = parse_log_line(raw);
    if (line.type == LogLine::Type::log_message) {
      if (line.levelname == "ERROR" || line.levelname == "CRITICAL") {
        if (inv.error_kind == ErrorKind::none || inv.error_kind == ErrorKind::other)
          inv.error_kind = classify_msgid(line.msgid);
        if (inv.error_kind == ErrorKind::none)
          inv.error_kind = ErrorKind::other;
        inv.errors.push_back(line);
      } else if (line.levelname == "WARNING" && line.name != "borg.logger") {
        // borg.logger warnings are Python's own (getpass echo), not about the backup.
        inv.warnings.push_back(line);
      }
    }
    if (on_log)
      on_log(line);
  };
  return streams;
}

Result<Invocation> Client::run(std::vector<std::string> args,
                               const std::function<void(const LogLine&)>& on_log,
                               const proc::LineHandler& on_stdout, int stdin_fd) const {
  std::string what = "borg " + (args.empty() ? std::string() : args.front());
  auto cmd = command(std::move(args));
  cmd.stdin_fd = stdin_fd;
  auto inv = run_command(cmd, std::move(what), on_log, on_stdout);
  if (inv)
    inv->ssh_log = ssh_log();
  return inv;
}

Result<Invocation> Client::run_command(const proc::Command& cmd, std::string what,
                                       const std::function<void(const LogLine&)>& on_log,
                                       const proc::LineHandler& on_stdout) {
  // The tools that drive borg check its version first (app::run_tool); this catches the rest.
  if (!cmd.argv.empty()) {
    if (auto borg = require_supported(cmd.argv.front()); !borg)
      return std::unexpected(borg.error());
  }
  Invocation inv;
  inv.what = std::move(what);
  auto outcome = proc::run(cmd, collect(inv, on_log, on_stdout));
  if (!outcome)
    return std::unexpected(outcome.error().context(inv.what));
  inv.outcome = std::move(*outcome);
  return inv;
}

} // namespace om::borg
