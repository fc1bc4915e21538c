#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <om/borg/types.hpp>
#include <om/proc/command.hpp>
#include <om/util/error.hpp>
#include <om/util/files.hpp>

namespace om::borg {

// How borg gets the repository passphrase: our environment (BORG_PASSPHRASE,
// BORG_PASSCOMMAND, BORG_PASSPHRASE_FD) or a --passphrase-file read into the child's
// environment. Never argv, never a log.
struct Passphrase {
  std::map<std::string, std::string> env; // what the child gets on top of ours
  bool available = false;                 // false: borg would have to prompt (it cannot)
};

// Reads --passphrase-file (refusing one that group or others can read) or notes the
// environment's. A missing passphrase is not an error here; require_passphrase() makes it one.
[[nodiscard]] Result<Passphrase> resolve_passphrase(const std::string& passphrase_file);
// Exit 78 with a message that says how to provide one.
[[nodiscard]] Result<void> require_passphrase(const Passphrase& passphrase);

// The outcome of one borg command, with its --log-json stderr sorted out.
struct Invocation {
  std::string what; // "borg create", for messages
  proc::Outcome outcome;
  std::vector<LogLine> errors;   // ERROR/CRITICAL log messages, and stray text lines
  std::vector<LogLine> warnings; // WARNING log messages
  ErrorKind error_kind = ErrorKind::none;
  std::string ssh_log; // ssh's own messages (Reach::ssh_log), for a closed connection's reason

  [[nodiscard]] bool ok() const { return outcome.success(); }
  // borg's rc 1: finished, with warnings.
  [[nodiscard]] bool warned() const { return outcome.exited_with(1) && !outcome.timed_out; }
  // The failure as an Error: the first error message, its exit status by kind.
  [[nodiscard]] Error error() const;
  // Why a connection closed, in ssh's words ("" when it said nothing).
  [[nodiscard]] std::string connection_reason() const;
};

// How borg reaches a repository beyond our defaults: the ssh command and remote borg, limits,
// and the passphrase variables of other repositories kept away.
struct Reach {
  std::map<std::string, std::string> env; // BORG_RSH, BORG_REMOTE_PATH
  std::vector<std::string> env_unset;     // e.g. BORG_PASSPHRASE: it is the local target's
  std::vector<std::string> common_args;   // --lock-wait, --upload-ratelimit
  // Where ssh writes its own messages (ssh -E): borg does not always pass them on before it
  // gives up on a closed connection. Removed with the last client that uses it.
  std::shared_ptr<const util::TempPath> ssh_log;
};

// Runs borg with --log-json, TZ=UTC, no terminal and no stdin (a missing passphrase fails at
// once, never hangs), and a timeout that kills its process group.
class Client {
public:
  Client(std::string program, Passphrase passphrase, std::chrono::seconds timeout,
         Reach reach = {});

  // `args` start with the borg subcommand. `on_log` sees every stderr line as it comes.
  [[nodiscard]] Result<Invocation> run(std::vector<std::string> args,
                                       const std::function<void(const LogLine&)>& on_log = {},
                                       const proc::LineHandler& on_stdout = {},
                                       int stdin_fd = -1) const;

  [[nodiscard]] const Passphrase& passphrase() const { return m_passphrase; }
  // Where this client's ssh writes its messages ("" when it has none of its own).
  [[nodiscard]] std::string ssh_log() const {
    return m_reach.ssh_log ? m_reach.ssh_log->path() : std::string();
  }

  // Runs a Command made by command() and then adjusted (a working folder, say); `what` names
  // it in errors ("extracting REPO::ARCHIVE").
  [[nodiscard]] static Result<Invocation>
  run_command(const proc::Command& cmd, std::string what,
              const std::function<void(const LogLine&)>& on_log = {},
              const proc::LineHandler& on_stdout = {});

  // The Command `run` would start, for dry runs and pipelines.
  [[nodiscard]] proc::Command command(std::vector<std::string> args) const;
  // Streams that sort a borg child's stderr into `inv` (for pipelines run by the caller).
  [[nodiscard]] static proc::Streams collect(Invocation& inv,
                                             const std::function<void(const LogLine&)>& on_log,
                                             const proc::LineHandler& on_stdout);

private:
  std::string m_program;
  Passphrase m_passphrase;
  std::chrono::seconds m_timeout;
  Reach m_reach;
};

} // namespace om::borg
