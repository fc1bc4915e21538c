#pragma once

#include <cstdint>
#include <string>

#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::lock {

// Who holds a lock, as written into the lock file for whoever finds it busy.
struct Holder {
  std::string job_id; // may be empty while the job is being created
  std::string host;
  long pid = 0;
  std::int64_t started = 0; // epoch seconds
  std::string tool;

  [[nodiscard]] std::string serialize() const;
  [[nodiscard]] static Holder parse(const std::string& text);
  // "job 1f0e… (om-backup-run) on host web1, pid 4242, started 2026-11-26 02:00:00"
  [[nodiscard]] std::string describe() const;
};

// One backup at a time on this host: flock(2) on <state-dir>/.lock. The kernel releases it
// when the process dies, so it is never stale; deleting the file (as the seed's old advice
// says) does not break it, because the lock is re-taken on the file that is there.
class HostLock {
public:
  // Busy: exit 75 with the holder's description.
  [[nodiscard]] static Result<HostLock> acquire(const std::string& state_dir, Holder me);

  // Records the job id once it is known.
  void set_job(const std::string& job_id);
  [[nodiscard]] const Holder& holder() const { return m_holder; }

private:
  HostLock(util::Fd fd, Holder holder) : m_fd(std::move(fd)), m_holder(std::move(holder)) {}
  void write_holder();
  util::Fd m_fd;
  Holder m_holder;
};

} // namespace om::lock
