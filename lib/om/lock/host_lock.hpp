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
  // False when the record is empty: the lock is held by something that is not om-backup
  // (an old script's flock, an admin).
  [[nodiscard]] bool known() const { return pid > 0; }
};

// A lock file in the state folder, and the work it keeps to one at a time.
struct LockFile {
  const char* name; // in <state-dir>
  const char* work; // for messages: "another backup is running"
};
inline constexpr LockFile k_backup_lock{.name = ".lock", .work = "backup"};
inline constexpr LockFile k_check_lock{.name = ".check.lock", .work = "check"};

// One backup at a time on this host: flock(2) on <state-dir>/.lock. The kernel releases it
// when the process dies, so it is never stale and never needs deleting (the seed's old
// advice). Deleting it while a backup runs would let the next one in beside it; the catalog's
// GET_LOCK still stops that one when the catalog is up.
class HostLock {
public:
  // Busy: exit 75 with the holder's description. The backup lock unless `file` says otherwise
  // (om-backup-check keeps to one at a time with a lock of its own, beside backups).
  [[nodiscard]] static Result<HostLock> acquire(const std::string& state_dir, Holder me,
                                                LockFile file = k_backup_lock);

  HostLock(HostLock&&) noexcept = default;
  HostLock& operator=(HostLock&&) noexcept = default;
  HostLock(const HostLock&) = delete;
  HostLock& operator=(const HostLock&) = delete;
  // Empties the holder record, so no finished job is named as the holder later.
  ~HostLock();

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
