#pragma once

namespace om::proc {

// Catches SIGINT, SIGTERM and SIGHUP for the rest of the process: running children get the
// signal forwarded to their process group, and the caller sees it in interrupted().
// SIGPIPE is ignored (a closed pipe is an error return, not a death).
void install_interrupt_handlers();

// The first SIGINT/SIGTERM/SIGHUP received since start, or 0.
[[nodiscard]] int interrupted();

// A file descriptor that becomes readable when a signal arrives (for poll loops).
[[nodiscard]] int interrupt_fd();

} // namespace om::proc
