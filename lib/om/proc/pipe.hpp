#pragma once

#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::proc {

// A pipe with both ends close-on-exec. An end handed to a child goes through a Command's
// stdin_fd/stdout_fd (released: proc::run closes it once the child holds it); an end never
// handed on is closed with its Fd, so no path leaks one.
struct Pipe {
  util::Fd read_end;
  util::Fd write_end;
};

[[nodiscard]] Result<Pipe> make_pipe();

} // namespace om::proc
