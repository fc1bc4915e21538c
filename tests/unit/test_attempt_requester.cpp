#include "support/catch.hpp"

#include <fcntl.h>
#include <stdlib.h> // posix_openpt, grantpt, unlockpt, ptsname
#include <unistd.h>

#include <om/attempt/requester.hpp>
#include <om/util/host.hpp>

using namespace om;

namespace {

// Stdin is `fd` while it lives, then what it was.
class StdinAs {
public:
  explicit StdinAs(int fd) : m_saved(::dup(STDIN_FILENO)) { ::dup2(fd, STDIN_FILENO); }
  ~StdinAs() {
    ::dup2(m_saved, STDIN_FILENO);
    ::close(m_saved);
  }
  StdinAs(const StdinAs&) = delete;
  StdinAs& operator=(const StdinAs&) = delete;

private:
  int m_saved;
};

} // namespace

TEST_CASE("requester: --requested-by, else cron when scheduled or with no terminal, else the "
          "login name") {
  CHECK(attempt::requester("admin via the UI") == "admin via the UI");
  CHECK(attempt::requester("admin via the UI", true) == "admin via the UI");

  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(null >= 0);
  {
    StdinAs pipe_like(null); // cron, a systemd timer, a pipeline
    CHECK(attempt::requester("") == "cron");
  }
  ::close(null);

  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(terminal >= 0);
  {
    StdinAs typed(terminal); // an admin at a shell
    CHECK(attempt::requester("") == util::login_name());
    CHECK(attempt::requester("", true) == "cron"); // --if-due: the schedule asked
  }
  ::close(terminal);
  ::close(master);
}
