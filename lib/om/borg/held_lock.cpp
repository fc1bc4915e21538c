#include <om/borg/held_lock.hpp>

#include <cerrno>
#include <csignal>

#include <poll.h>
#include <sys/wait.h>

#include <om/borg/parse.hpp>
#include <om/proc/interrupt.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/spawn.hpp>
#include <om/util/strings.hpp>

namespace om::borg {
namespace {

// Everything left on a pipe (borg's stderr once it has ended).
std::string drain(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    return out;
  }
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// borg's reason for ending, from its --log-json stderr: its first error, classified.
Error borg_failure(const std::string& stderr_text, int status, const std::string& repo) {
  for (auto raw : util::split(stderr_text, '\n')) {
    auto line = parse_log_line(raw);
    if (line.type != LogLine::Type::log_message ||
        (line.levelname != "ERROR" && line.levelname != "CRITICAL"))
      continue;
    auto kind = classify_msgid(line.msgid);
    return Error{kind == ErrorKind::lock_timeout ? ExitStatus::temp_fail : ExitStatus::failed,
                 "locking " + repo + ": " + util::first_line(line.message)};
  }
  auto how = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                               : "killed by signal " + std::to_string(WTERMSIG(status));
  return Error{ExitStatus::failed, "locking " + repo + ": borg with-lock " + how};
}

} // namespace

Result<HeldLock> HeldLock::acquire(const proc::Command& with_lock, const std::string& repo,
                                   std::chrono::seconds wait) {
  OM_TRY(to_cat, proc::make_pipe());
  OM_TRY(from_cat, proc::make_pipe());
  auto cmd = with_lock;
  cmd.timeout = std::chrono::milliseconds(0);
  cmd.stdin_fd = to_cat.read_end.get();
  cmd.stdout_fd = from_cat.write_end.get();
  OM_TRY(child, proc::detail::spawn(cmd));
  to_cat.read_end.reset();
  from_cat.write_end.reset();
  HeldLock held(child.pid, std::move(to_cat.write_end), std::move(child.err), repo);

  // One byte through cat and back: borg has the lock and started cat.
  const char probe = 'L';
  if (::write(held.m_to_cat.get(), &probe, 1) != 1)
    return fail("locking " + repo + ": writing to borg with-lock failed");
  pollfd fds[2] = {{from_cat.read_end.get(), POLLIN, 0}, {proc::interrupt_fd(), POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return fail(ExitStatus::temp_fail, "locking " + repo + ": borg with-lock did not start in " +
                                             std::to_string(wait.count()) + " s");
    int n = ::poll(fds, proc::interrupt_fd() >= 0 ? 2 : 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR)
      continue;
    if (proc::interrupted() != 0)
      return fail(ExitStatus::interrupted, "locking " + repo + ": interrupted");
    if (n <= 0 || (fds[0].revents & (POLLIN | POLLHUP)) == 0)
      continue;
    char echoed = 0;
    auto got = ::read(from_cat.read_end.get(), &echoed, 1);
    if (got == 1 && echoed == probe)
      return held;
    // cat never ran: borg ended without the lock (the destructor must not wait on it again).
    held.m_to_cat.reset();
    int status = wait_for(held.m_pid);
    held.m_pid = -1;
    return std::unexpected(borg_failure(drain(held.m_err.get()), status, repo));
  }
}

HeldLock::HeldLock(HeldLock&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_to_cat(std::move(other.m_to_cat)),
      m_err(std::move(other.m_err)), m_repo(std::move(other.m_repo)) {}

Result<void> HeldLock::release() {
  if (m_pid < 0)
    return {};
  m_to_cat.reset(); // cat reads end of file and ends; borg then lets the lock go
  int status = wait_for(std::exchange(m_pid, -1));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {};
  return std::unexpected(borg_failure(drain(m_err.get()), status, m_repo));
}

HeldLock::~HeldLock() {
  if (m_pid >= 0) {
    // Not released (an error path): stop borg and cat, which lets the lock go.
    m_to_cat.reset();
    ::kill(-m_pid, SIGTERM);
    (void)wait_for(m_pid);
  }
}

} // namespace om::borg
