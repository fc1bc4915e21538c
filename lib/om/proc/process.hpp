#pragma once

#include <sys/types.h>

#include <om/proc/command.hpp>
#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::proc {

// A child that lives beside us while we talk to it through its stdin and stdout (`borg
// with-lock REPO cat` holding a repository's lock), in a process group of its own. Closing its
// input and waiting ends it the way it expects; one never waited for is stopped (SIGTERM to its
// group) and reaped when this object goes, so no child outlives its owner's error path.
class Process {
public:
  // Starts `command` with a pipe on its stdin and one on its stdout (its stdin_fd, stdout_fd
  // and stdin_feed are not used; its stderr is kept for wait()).
  [[nodiscard]] static Result<Process> start(const Command& command);

  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  [[nodiscard]] int input() const { return m_in.get(); }   // our end of its stdin
  [[nodiscard]] int output() const { return m_out.get(); } // our end of its stdout
  // Closes its stdin: end of file for it.
  void end_input() { m_in.reset(); }
  // Closes its stdin, waits for it to end and reads what it left on stderr.
  [[nodiscard]] Outcome wait();
  // Whether wait() has reaped it.
  [[nodiscard]] bool waited() const { return m_pid < 0; }

private:
  Process(pid_t pid, util::Fd in, util::Fd out, util::Fd err)
      : m_pid(pid), m_in(std::move(in)), m_out(std::move(out)), m_err(std::move(err)) {}
  pid_t m_pid = -1;
  util::Fd m_in;
  util::Fd m_out;
  util::Fd m_err;
};

} // namespace om::proc
