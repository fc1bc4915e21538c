#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace om::proc {

// One child process to run: argv only (no shell), its own process group, stdin /dev/null
// unless `stdin_fd` says otherwise. Secrets go in `env_set`, never in argv.
struct Command {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env_set; // added to or replacing our environment
  std::vector<std::string> env_unset;         // removed from our environment
  std::chrono::milliseconds timeout{0};       // 0: none; else SIGTERM to the group, then SIGKILL
  std::string cwd;                            // empty: ours
  int stdin_fd = -1;                          // -1: /dev/null; else becomes the child's stdin
  int stdout_fd = -1;                         // -1: a pipe read by us; else the child's stdout

  // For logs and dry runs: argv quoted as a shell would need it (never run through one).
  [[nodiscard]] std::string display() const;
};

using LineHandler = std::function<void(std::string_view line)>;

// Where a child's output goes. A stream without a handler is collected into the Outcome.
struct Streams {
  LineHandler on_stdout_line;
  LineHandler on_stderr_line;
};

// How a child ended.
struct Outcome {
  int exit_code = -1;       // the exit status when the child exited normally
  int term_signal = 0;      // the signal that killed it, if one did
  bool timed_out = false;   // we killed it at its deadline
  int interrupted_by = 0;   // SIGINT/SIGTERM we received and forwarded, 0 if none
  std::string stdout_text;  // collected stdout when no handler was given
  std::string stderr_text;  // collected stderr when no handler was given

  [[nodiscard]] bool exited_with(int code) const { return term_signal == 0 && exit_code == code; }
  [[nodiscard]] bool success() const { return exited_with(0) && !timed_out; }
  // "exited with status 2", "killed by signal 9 (Killed)", "timed out after 5 s".
  [[nodiscard]] std::string describe() const;
};

} // namespace om::proc
