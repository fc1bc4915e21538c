#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace om::proc {

// Bytes the parent writes into a child's stdin as fast as the child reads them, for
// pipelines that pass through us (mysqldump → us → pigz). Bounded: while it holds `limit`
// bytes, the stream that fills it is not read, so memory stays flat whatever the data size.
class Feed {
public:
  static constexpr std::size_t k_limit = 4 << 20;
  void write(std::string_view data) {
    if (!m_broken)
      m_pending.append(data);
  }
  // No more data: the child's stdin is closed once what is pending is written.
  void close() { m_closing = true; }
  [[nodiscard]] bool full() const { return m_pending.size() - m_offset >= k_limit; }
  [[nodiscard]] bool empty() const { return m_pending.size() == m_offset; }
  [[nodiscard]] bool closing() const { return m_closing; }
  [[nodiscard]] std::string_view pending() const {
    return std::string_view(m_pending).substr(m_offset);
  }
  // The reader is gone: what is pending and whatever comes later is dropped, so the writer
  // is never held back waiting for it.
  void discard() {
    m_broken = true;
    m_pending.clear();
    m_offset = 0;
  }
  [[nodiscard]] bool broken() const { return m_broken; }
  // Bytes held, written ones included (what the memory use follows).
  [[nodiscard]] std::size_t capacity_used() const { return m_pending.size(); }
  void consumed(std::size_t n) {
    m_offset += n;
    // Written bytes are dropped from the front once they are many, so the buffer never grows
    // past about twice the limit however long the reader lags.
    if (m_offset == m_pending.size() || m_offset >= k_limit) {
      m_pending.erase(0, m_offset);
      m_offset = 0;
    }
  }

private:
  std::string m_pending;
  std::size_t m_offset = 0;
  bool m_closing = false;
  bool m_broken = false;
};

// One child process to run: argv only (no shell), its own process group, stdin /dev/null
// unless `stdin_fd` says otherwise. Secrets go in `env_set`, never in argv.
struct Command {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env_set; // added to or replacing our environment
  std::vector<std::string> env_unset;         // removed from our environment
  std::chrono::milliseconds timeout{0};       // 0: none; else SIGTERM to the group, then SIGKILL
  std::string cwd;                            // empty: ours
  int stdin_fd = -1;                          // -1: /dev/null; else becomes the child's stdin
  int stdout_fd = -1;                         // -1: a pipe read by us; else the child's stdout
  Feed* stdin_feed = nullptr;                 // set: the child's stdin is a pipe fed from this
  int inherit_fd = -1; // set: the child gets this descriptor as fd 3 (/dev/fd/3); it
                       // inherits no other beyond stdin, stdout and stderr
  // Set: should we die while the child runs, a keeper in the child's process group goes on
  // reading its output (and drops it), so a child that prints as it works (borg create
  // --progress) finishes rather than dying of a broken pipe. While we live it reads nothing.
  bool outlives_us = false;

  // For logs and dry runs: argv quoted as a shell would need it (never run through one).
  [[nodiscard]] std::string display() const;
};

using LineHandler = std::function<void(std::string_view line)>;

using DataHandler = std::function<void(std::string_view chunk)>;

// Where a child's output goes. A stream without a handler is collected into the Outcome.
struct Streams {
  LineHandler on_stdout_line;
  LineHandler on_stderr_line;
  DataHandler on_stdout_data;          // raw bytes (binary output); replaces on_stdout_line
  std::function<void()> on_stdout_end; // stdout reached end of file
  std::vector<const Feed*> throttle;   // stdout is not read while one of these feeds is full
  std::function<void()> on_tick;       // about every 100 ms while the child runs (progress)
  // Asked about every 100 ms and after each read: true stops every child run together with
  // this one (SIGTERM to their groups, SIGKILL later), e.g. once the file being written fails.
  std::function<bool()> should_stop;
};

// How a child ended.
struct Outcome {
  int exit_code = -1;      // the exit status when the child exited normally
  int term_signal = 0;     // the signal that killed it, if one did
  bool timed_out = false;  // we killed it at its deadline
  int interrupted_by = 0;  // SIGINT/SIGTERM we received and forwarded, 0 if none
  bool stopped = false;    // we stopped it because a Streams::should_stop said so
  std::string stdout_text; // collected stdout when no handler was given
  std::string stderr_text; // collected stderr when no handler was given

  [[nodiscard]] bool exited_with(int code) const { return term_signal == 0 && exit_code == code; }
  [[nodiscard]] bool success() const { return exited_with(0) && !timed_out && !stopped; }
  // "exited with status 2", "killed by signal 9 (Killed)", "timed out after 5 s".
  [[nodiscard]] std::string describe() const;
};

} // namespace om::proc
