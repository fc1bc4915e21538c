#pragma once

#include <sys/types.h>

#include <om/proc/command.hpp>
#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::proc::detail {

// A started child: its pid (= its process group id) and our ends of its output pipes.
struct Child {
  pid_t pid = -1;
  util::Fd out; // invalid when the child's stdout went to Command::stdout_fd
  util::Fd err;
  util::Fd in; // our end of its stdin, when Command::stdin_feed is set (non-blocking)
  // Command::outlives_us: the keeper, and our end of the pipe whose closing (our death, or
  // let_keeper_go) tells it to drain.
  pid_t keeper = -1;
  util::Fd keeper_life;
};

// Stops the keeper of a child that has ended (its output was all read by us).
void let_keeper_go(Child& child);

// posix_spawnp with /dev/null (or the given) stdin, a new process group, default signal
// dispositions and an empty signal mask.
[[nodiscard]] Result<Child> spawn(const Command& command);

} // namespace om::proc::detail
