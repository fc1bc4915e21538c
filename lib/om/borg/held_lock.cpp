#include <om/borg/held_lock.hpp>

#include <cerrno>
#include <string_view>
#include <utility>

#include <poll.h>
#include <unistd.h>

#include <om/borg/parse.hpp>
#include <om/proc/interrupt.hpp>
#include <om/util/fd.hpp>
#include <om/util/strings.hpp>

namespace om::borg {
namespace {

// borg's reason for ending, from its --log-json stderr: its first error, classified.
Error borg_failure(const proc::Outcome& ended, const std::string& repo) {
  for (auto raw : util::split(ended.stderr_text, '\n')) {
    auto line = parse_log_line(raw);
    if (line.type != LogLine::Type::log_message ||
        (line.levelname != "ERROR" && line.levelname != "CRITICAL"))
      continue;
    auto kind = classify_msgid(line.msgid);
    return Error{kind == ErrorKind::lock_timeout ? ExitStatus::temp_fail : ExitStatus::failed,
                 "locking " + repo + ": " + util::first_line(line.message)};
  }
  return Error{ExitStatus::failed, "locking " + repo + ": borg with-lock " + ended.describe()};
}

} // namespace

Result<HeldLock> HeldLock::acquire(const proc::Command& with_lock, const std::string& repo,
                                   std::chrono::seconds wait) {
  OM_TRY(borg, proc::Process::start(with_lock));
  HeldLock held(std::move(borg), repo);

  // One byte through cat and back: borg has the lock and started cat.
  const char probe = 'L';
  if (!util::write_all(held.m_borg.input(), std::string_view(&probe, 1)))
    return fail("locking " + repo + ": writing to borg with-lock failed");
  pollfd fds[2] = {{held.m_borg.output(), POLLIN, 0}, {proc::interrupt_fd(), POLLIN, 0}};
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
    auto got = ::read(held.m_borg.output(), &echoed, 1);
    if (got == 1 && echoed == probe)
      return held;
    // cat never ran: borg ended without the lock.
    return std::unexpected(borg_failure(held.m_borg.wait(), repo));
  }
}

Result<void> HeldLock::release() {
  if (m_borg.waited())
    return {};
  auto ended = m_borg.wait(); // cat reads end of file and ends; borg then lets the lock go
  if (ended.success())
    return {};
  return std::unexpected(borg_failure(ended, m_repo));
}

} // namespace om::borg
