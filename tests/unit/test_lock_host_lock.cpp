#include "support/catch.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <om/lock/host_lock.hpp>
#include <om/util/fd.hpp>

#include "support/temp_dir.hpp"

using namespace om;

TEST_CASE("host lock: one holder at a time and the busy error names it") {
  test::TempDir dir;
  auto first = lock::HostLock::acquire(dir.path(), {"", "web1", 4242, 1795708800, "om-backup-run"});
  REQUIRE(first);
  first->set_job("0f0f0f0f-0000-4000-8000-000000000001");
  auto second = lock::HostLock::acquire(dir.path(), {"", "web1", 99, 0, "om-backup-prune"});
  REQUIRE_FALSE(second);
  CHECK(second.error().status == ExitStatus::temp_fail);
  CHECK(second.error().message.find("job 0f0f0f0f-0000-4000-8000-000000000001 (om-backup-run) on "
                                    "host web1, pid 4242, started ") != std::string::npos);
}

TEST_CASE("host lock: released on destruction with its record emptied") {
  test::TempDir dir;
  {
    auto held = lock::HostLock::acquire(dir.path(), {"job-a", "web1", 1, 0, "t"});
    REQUIRE(held);
  }
  CHECK(test::read_text(dir / ".lock").empty());
  auto again = lock::HostLock::acquire(dir.path(), {"job-b", "web1", 2, 0, "t"});
  REQUIRE(again);
  CHECK(test::read_text(dir / ".lock").find("job=job-b") != std::string::npos);
}

TEST_CASE("host lock: a foreign flock holder is reported as such") {
  test::TempDir dir;
  test::write_text(dir / ".lock", "");
  util::Fd fd(::open((dir / ".lock").c_str(), O_RDWR));
  REQUIRE(::flock(fd.get(), LOCK_EX) == 0);
  auto blocked = lock::HostLock::acquire(dir.path(), {"", "web1", 1, 0, "t"});
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().message.find("not an om-backup tool") != std::string::npos);
}

TEST_CASE("host lock: deleting the lock file (the seed's old advice) does not allow two holders") {
  test::TempDir dir;
  auto held = lock::HostLock::acquire(dir.path(), {"job-a", "web1", 1, 0, "t"});
  REQUIRE(held);
  ::unlink((dir / ".lock").c_str());
  // A newcomer locks the new file; the old holder's lock is on a file nobody opens any more.
  // That is the documented cost of deleting it: the newcomer runs. What must not happen is a
  // third process sharing the new file's lock with the second.
  auto second = lock::HostLock::acquire(dir.path(), {"job-b", "web1", 2, 0, "t"});
  REQUIRE(second);
  auto third = lock::HostLock::acquire(dir.path(), {"job-c", "web1", 3, 0, "t"});
  REQUIRE_FALSE(third);
  CHECK(third.error().message.find("job job-b") != std::string::npos);
}
