#include <om/proc/pipe.hpp>

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace om::proc {

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(std::string("creating a pipe: ") + std::strerror(errno));
  return Pipe{util::Fd(fds[0]), util::Fd(fds[1])};
}

} // namespace om::proc
