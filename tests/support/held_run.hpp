#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/sample_app.hpp"

namespace om::test {

// Waits (bounded, a minute) until `done` holds; the condition is checked, never the time.
template <class F> bool eventually(F done) {
  for (int i = 0; i < 600; ++i) {
    if (done())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A mysqldump stand-in that runs the real one after waiting for <dir>/go, so a test can hold
// a backup in the middle of its work. It records its pid in <dir>/dump.pid.
[[nodiscard]] std::string slow_dump(const SampleApp& app);

// Starts om-backup-run (with `extra` arguments) on a thread, held in the middle of its dump
// until the test writes <dir>/go; returns once it is held there (<dir>/dump.pid complete).
[[nodiscard]] std::thread start_held_run(const SampleApp& app, ToolResult& result,
                                         std::vector<std::string> extra = {});

// borg's own lock on the sample app's repository, held by another process (`borg with-lock …
// sleep`, in a session of its own) from construction until release() or destruction; the
// constructor returns once the lock is there.
class BorgLockHolder {
public:
  explicit BorgLockHolder(const SampleApp& app);
  ~BorgLockHolder() { release(); }
  BorgLockHolder(const BorgLockHolder&) = delete;
  BorgLockHolder& operator=(const BorgLockHolder&) = delete;
  // Ends the holder and returns once the lock is gone.
  void release();
  [[nodiscard]] bool held() const { return !m_pid.empty(); }

private:
  std::string m_repo;
  std::string m_pid;
};

// True while a `borg create` into `repo` (a path or ssh:// URL) is alive on this machine (read
// from /proc, as ps would).
[[nodiscard]] bool borg_create_running(const std::string& repo);

} // namespace om::test
