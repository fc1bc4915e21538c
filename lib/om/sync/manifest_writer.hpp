#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <om/util/error.hpp>

namespace om::sync {

// Writes the archives' manifest files into one folder on a thread of its own, while the rows
// go to the server: creating thousands of files is mostly the kernel's time, and the other
// core is free for it. The queue is bounded, so memory stays flat however many archives.
// Files written are removed again unless keep() is called (the rows that name them committed).
class ManifestWriter {
public:
  explicit ManifestWriter(std::string dir);
  ~ManifestWriter();
  ManifestWriter(const ManifestWriter&) = delete;
  ManifestWriter& operator=(const ManifestWriter&) = delete;

  // Queues `content` for <dir>/<name>; waits while the queue is full.
  void write(std::string name, std::string content);
  // Waits until everything queued is written and the folder is synced; the first error.
  [[nodiscard]] Result<void> finish();

private:
  void run();
  void stop();

  static constexpr std::size_t k_queue_limit = 1000;
  std::string m_dir;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::pair<std::string, std::string>> m_queue;
  bool m_closing = false;
  std::optional<Error> m_error;
  bool m_written = false;
  std::thread m_thread;
};

} // namespace om::sync
