#include <om/proc/process.hpp>

#include <cerrno>
#include <csignal>
#include <utility>

#include <sys/wait.h>

#include <om/proc/pipe.hpp>
#include <om/proc/spawn.hpp>

namespace om::proc {
namespace {

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

} // namespace

Result<Process> Process::start(const Command& command) {
  OM_TRY(to_child, make_pipe());
  OM_TRY(from_child, make_pipe());
  auto cmd = command;
  cmd.timeout = std::chrono::milliseconds(0);
  cmd.stdin_feed = nullptr;
  cmd.stdin_fd = to_child.read_end.get();
  cmd.stdout_fd = from_child.write_end.get();
  OM_TRY(child, detail::spawn(cmd));
  return Process(child.pid, std::move(to_child.write_end), std::move(from_child.read_end),
                 std::move(child.err));
}

Process::Process(Process&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_in(std::move(other.m_in)),
      m_out(std::move(other.m_out)), m_err(std::move(other.m_err)) {}

Outcome Process::wait() {
  Outcome outcome;
  m_in.reset();
  if (m_pid < 0)
    return outcome;
  const int status = reap(std::exchange(m_pid, -1));
  if (WIFEXITED(status))
    outcome.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    outcome.term_signal = WTERMSIG(status);
  // It has ended: what is left on its stderr is all it wrote there.
  (void)util::read_all(m_err.get(), [&](std::string_view chunk) { outcome.stderr_text += chunk; });
  return outcome;
}

Process::~Process() {
  if (m_pid >= 0) {
    m_in.reset();
    ::kill(-m_pid, SIGTERM);
    (void)reap(m_pid);
  }
}

} // namespace om::proc
