#include <om/proc/run.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <om/proc/interrupt.hpp>
#include <om/proc/spawn.hpp>
#include <om/util/time.hpp>

namespace om::proc {
namespace {

constexpr std::int64_t k_kill_grace_ms = 10'000;      // SIGTERM, then SIGKILL this much later
constexpr std::int64_t k_interrupt_grace_ms = 60'000; // borg needs time to write a checkpoint
constexpr std::int64_t k_orphan_pipe_ms = 2'000;      // a grandchild keeping our pipes open
constexpr std::size_t k_max_line = 1 << 20;

// Splits a byte stream into lines for a handler, or collects it.
class LineStream {
public:
  LineStream(const LineHandler& handler, std::string& sink, const DataHandler* raw = nullptr,
             const std::function<void()>* on_end = nullptr)
      : m_handler(handler), m_sink(sink), m_raw(raw), m_on_end(on_end) {}

  void feed(std::string_view data) {
    if (m_raw != nullptr && *m_raw) {
      (*m_raw)(data);
      return;
    }
    if (!m_handler) {
      m_sink.append(data);
      return;
    }
    m_buffer.append(data);
    std::size_t start = 0;
    while (true) {
      auto nl = m_buffer.find('\n', start);
      if (nl == std::string::npos)
        break;
      m_handler(std::string_view(m_buffer).substr(start, nl - start));
      start = nl + 1;
    }
    m_buffer.erase(0, start);
    if (m_buffer.size() > k_max_line) {
      m_handler(m_buffer);
      m_buffer.clear();
    }
  }

  void finish() {
    if (m_handler && !m_buffer.empty())
      m_handler(m_buffer);
    m_buffer.clear();
    if (m_on_end != nullptr && *m_on_end && !m_ended)
      (*m_on_end)();
    m_ended = true;
  }

private:
  const LineHandler& m_handler;
  std::string& m_sink;
  const DataHandler* m_raw;
  const std::function<void()>* m_on_end;
  std::string m_buffer;
  bool m_ended = false;
};

struct Watched {
  detail::Child child;
  Outcome outcome;
  LineStream out;
  LineStream err;
  Feed* feed = nullptr;              // what we write to its stdin
  std::vector<const Feed*> throttle; // its stdout waits while one of these is full

  [[nodiscard]] bool held_back() const {
    return std::ranges::any_of(throttle, [](const Feed* f) { return f->full(); });
  }
  const std::function<void()>* on_tick = nullptr;
  const std::function<bool()>* should_stop = nullptr;
  std::int64_t deadline_ms = 0; // 0: none
  std::int64_t kill_at_ms = 0;  // when SIGKILL follows an earlier SIGTERM; 0: not scheduled
  std::int64_t exited_at_ms = 0;
  std::int64_t last_read_ms = 0;
  bool exited = false;

  Watched(detail::Child c, const Streams& s, Feed* f)
      : child(std::move(c)),
        out(s.on_stdout_line, outcome.stdout_text, &s.on_stdout_data, &s.on_stdout_end),
        err(s.on_stderr_line, outcome.stderr_text), feed(f), throttle(s.throttle),
        on_tick(s.on_tick ? &s.on_tick : nullptr),
        should_stop(s.should_stop ? &s.should_stop : nullptr) {}

  [[nodiscard]] bool pipes_open() const {
    return static_cast<bool>(child.out) || static_cast<bool>(child.err);
  }
  void signal_group(int sig) const {
    if (!exited)
      ::kill(-child.pid, sig);
  }
};

// Reads what is there; closes the fd at end of file.
void read_some(util::Fd& fd, LineStream& stream) {
  std::array<char, 1 << 16> buf{};
  auto n = ::read(fd.get(), buf.data(), buf.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    stream.finish();
    fd.reset();
    return;
  }
  stream.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)));
}

// Writes what the feed holds without blocking; closes the child's stdin once it is drained
// and closed, or when the child stopped reading (EPIPE).
void write_some(Watched& w) {
  auto data = w.feed->pending();
  while (!data.empty()) {
    auto n = ::write(w.child.in.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return;
    if (n < 0) { // EPIPE: the child is gone or closed its stdin
      w.feed->discard();
      w.child.in.reset();
      return;
    }
    w.feed->consumed(static_cast<std::size_t>(n));
    data = w.feed->pending();
  }
  if (w.feed->closing())
    w.child.in.reset();
}

void reap(Watched& w, std::int64_t now) {
  if (w.exited)
    return;
  int status = 0;
  pid_t r = ::waitpid(w.child.pid, &status, WNOHANG);
  if (r != w.child.pid)
    return;
  w.exited = true;
  w.exited_at_ms = now;
  if (WIFEXITED(status))
    w.outcome.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    w.outcome.term_signal = WTERMSIG(status);
}

void enforce_deadlines(Watched& w, std::int64_t now, int forwarded_signal, bool stop) {
  if (w.exited)
    return;
  if (stop && !w.outcome.stopped) {
    w.outcome.stopped = true;
    w.signal_group(SIGTERM);
    w.kill_at_ms = now + k_kill_grace_ms;
  }
  if (forwarded_signal != 0 && w.outcome.interrupted_by == 0) {
    w.outcome.interrupted_by = forwarded_signal;
    w.signal_group(forwarded_signal);
    w.kill_at_ms = now + k_interrupt_grace_ms;
  }
  if (w.deadline_ms != 0 && now >= w.deadline_ms && !w.outcome.timed_out) {
    w.outcome.timed_out = true;
    w.signal_group(SIGTERM);
    w.kill_at_ms = now + k_kill_grace_ms;
  }
  if (w.kill_at_ms != 0 && now >= w.kill_at_ms)
    w.signal_group(SIGKILL);
}

// Reaps, enforces deadlines, lets go of orphaned pipes; returns whether `w` still needs us.
bool tend(Watched& w, std::int64_t now, bool stop) {
  reap(w, now);
  enforce_deadlines(w, now, interrupted(), stop);
  // A grandchild may hold our pipes open after the child exited: stop waiting for it once
  // nothing came for a while (not while we ourselves hold the reading back).
  if (w.exited && w.pipes_open() && !w.held_back() &&
      now - std::max(w.exited_at_ms, w.last_read_ms) > k_orphan_pipe_ms) {
    w.out.finish();
    w.err.finish();
    w.child.out.reset();
    w.child.err.reset();
  }
  if (w.exited && w.child.in) {
    w.child.in.reset();
    w.feed->discard();
  }
  if (!w.exited && w.on_tick != nullptr)
    (*w.on_tick)();
  return !w.exited || w.pipes_open();
}

// What one poll waits for: the children's output to read, their input to write, an interrupt.
struct PollSet {
  std::vector<pollfd> fds;
  std::vector<std::pair<util::Fd*, LineStream*>> targets;
  std::vector<Watched*> target_owner;
  std::vector<Watched*> writers;

  void add_reader(util::Fd& fd, LineStream& stream, Watched& owner) {
    fds.push_back({fd.get(), POLLIN, 0});
    targets.emplace_back(&fd, &stream);
    target_owner.push_back(&owner);
  }
};

PollSet poll_set(std::vector<Watched>& watched) {
  PollSet set;
  for (auto& w : watched) {
    if (w.child.in && (!w.feed->empty() || w.feed->closing())) {
      if (w.feed->empty())
        w.child.in.reset(); // closed and drained: end of file for the child
      else
        set.writers.push_back(&w);
    }
  }
  for (auto& w : watched) {
    if (w.child.out && !w.held_back())
      set.add_reader(w.child.out, w.out, w);
    if (w.child.err)
      set.add_reader(w.child.err, w.err, w);
  }
  for (auto* w : set.writers)
    set.fds.push_back({w->child.in.get(), POLLOUT, 0});
  if (interrupt_fd() >= 0 && interrupted() == 0)
    set.fds.push_back({interrupt_fd(), POLLIN, 0});
  return set;
}

void serve(PollSet& set) {
  auto read_at = util::monotonic_ms();
  for (std::size_t i = 0; i < set.targets.size(); ++i) {
    if ((set.fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      read_some(*set.targets[i].first, *set.targets[i].second);
      set.target_owner[i]->last_read_ms = read_at;
    }
  }
  for (std::size_t i = 0; i < set.writers.size(); ++i) {
    if ((set.fds[set.targets.size() + i].revents & (POLLOUT | POLLERR | POLLHUP)) != 0)
      write_some(*set.writers[i]);
  }
}

void supervise(std::vector<Watched>& watched) {
  while (true) {
    auto now = util::monotonic_ms();
    bool stop = std::ranges::any_of(
        watched, [](const Watched& w) { return w.should_stop != nullptr && (*w.should_stop)(); });
    bool busy = false;
    for (auto& w : watched)
      busy = tend(w, now, stop) || busy;
    if (!busy)
      return;
    auto set = poll_set(watched);
    // Short waits keep reaping and deadlines simple; they cost nothing measurable.
    if (::poll(set.fds.data(), set.fds.size(), 100) > 0)
      serve(set);
  }
}

} // namespace

Result<std::vector<Outcome>> run_together(std::span<const Command> commands,
                                          std::span<const Streams> streams) {
  // Writing to a child that stopped reading must be an EPIPE we handle, not a SIGPIPE that
  // kills us (children get the default disposition back at spawn).
  for (const auto& c : commands) {
    if (c.stdin_feed != nullptr)
      std::signal(SIGPIPE, SIG_IGN);
  }
  std::vector<Watched> watched;
  watched.reserve(commands.size());
  auto start = util::monotonic_ms();
  std::optional<Error> spawn_error;
  for (std::size_t i = 0; i < commands.size() && !spawn_error; ++i) {
    auto child = detail::spawn(commands[i]);
    if (!child) {
      spawn_error = child.error();
      break;
    }
    watched.emplace_back(std::move(*child), streams[i], commands[i].stdin_feed);
    if (commands[i].timeout.count() > 0)
      watched.back().deadline_ms = start + commands[i].timeout.count();
  }
  // The children hold the pipe ends that join them; ours must go, or no EOF ever comes.
  for (const auto& c : commands) {
    if (c.stdin_fd >= 0)
      ::close(c.stdin_fd);
    if (c.stdout_fd >= 0)
      ::close(c.stdout_fd);
  }
  if (spawn_error) {
    for (auto& w : watched)
      w.signal_group(SIGKILL);
  }
  supervise(watched);
  for (auto& w : watched)
    detail::let_keeper_go(w.child);
  if (spawn_error)
    return std::unexpected(*spawn_error);
  std::vector<Outcome> outcomes;
  outcomes.reserve(watched.size());
  for (auto& w : watched)
    outcomes.push_back(std::move(w.outcome));
  return outcomes;
}

Result<Outcome> run(const Command& command, const Streams& streams) {
  OM_TRY(outcomes, run_together(std::span(&command, 1), std::span(&streams, 1)));
  return std::move(outcomes.front());
}

} // namespace om::proc
