#pragma once

#include <chrono>
#include <string>

#include <sys/types.h>

#include <om/proc/command.hpp>
#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::borg {

// A borg repository's own lock, held by `borg with-lock REPO cat` for as long as this object
// lives, so that no borg process (ours or a script's) writes the repository meanwhile and
// several commands can run under one lock. `cat` echoes the byte we write once borg started it
// (the lock is ours), and ends when we close its stdin: then borg releases the lock. Should we
// die, the kernel closes that pipe, so the lock is never left behind.
class HeldLock {
public:
  // `with_lock` is borg's `with-lock … REPO cat` (from Client::command). A lock another
  // process holds past borg's --lock-wait is exit 75 with borg's words; `wait` bounds how long
  // we wait for borg to say anything at all.
  [[nodiscard]] static Result<HeldLock> acquire(const proc::Command& with_lock,
                                                const std::string& repo, std::chrono::seconds wait);

  HeldLock(HeldLock&& other) noexcept;
  HeldLock& operator=(HeldLock&&) = delete;
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  ~HeldLock();

  // Lets the lock go and waits for borg; a borg that ended badly is the error.
  [[nodiscard]] Result<void> release();

private:
  HeldLock(pid_t pid, util::Fd to_cat, util::Fd err, std::string repo)
      : m_pid(pid), m_to_cat(std::move(to_cat)), m_err(std::move(err)), m_repo(std::move(repo)) {}
  pid_t m_pid = -1;
  util::Fd m_to_cat;
  util::Fd m_err;
  std::string m_repo;
};

} // namespace om::borg
