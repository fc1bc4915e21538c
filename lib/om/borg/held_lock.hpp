#pragma once

#include <chrono>
#include <string>

#include <om/proc/command.hpp>
#include <om/proc/process.hpp>
#include <om/util/error.hpp>

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

  // Lets the lock go and waits for borg; a borg that ended badly is the error. Not released
  // (an error path), borg and cat are stopped when this object goes, which lets the lock go.
  [[nodiscard]] Result<void> release();

private:
  HeldLock(proc::Process borg, std::string repo)
      : m_borg(std::move(borg)), m_repo(std::move(repo)) {}
  proc::Process m_borg;
  std::string m_repo;
};

} // namespace om::borg
