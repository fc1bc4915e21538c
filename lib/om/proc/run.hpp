#pragma once

#include <span>
#include <vector>

#include <om/proc/command.hpp>
#include <om/util/error.hpp>

namespace om::proc {

// Runs one child to its end, streaming its stdout and stderr line by line, separately.
// A stdin_fd/stdout_fd passed in the command is closed once the child holds it.
// Fails only when the child could not be started (exit status `unavailable`); how the
// child itself ended is in the Outcome.
[[nodiscard]] Result<Outcome> run(const Command& command, const Streams& streams = {});

// Runs several children at once (e.g. `mysqldump | borg create -`, joined by a pipe the caller
// made and passed as stdout_fd/stdin_fd) and waits for all. The caller's pipe ends are
// closed once the children hold them. Outcomes are in the order of `commands`. A command with
// a stdin_feed makes this process ignore SIGPIPE from then on (a reader that went away is an
// EPIPE, handled).
[[nodiscard]] Result<std::vector<Outcome>> run_together(std::span<const Command> commands,
                                                        std::span<const Streams> streams);

} // namespace om::proc
