#include <om/sync/manifest_writer.hpp>

#include <om/util/files.hpp>

namespace om::sync {

ManifestWriter::ManifestWriter(std::string dir)
    : m_dir(std::move(dir)), m_thread([this] { run(); }) {}

ManifestWriter::~ManifestWriter() {
  {
    std::lock_guard lock(m_mutex);
    m_queue.clear();
  }
  stop();
}

void ManifestWriter::write(std::string name, std::string content) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return m_queue.size() < k_queue_limit || m_error; });
  if (m_error)
    return; // finish() reports it
  m_queue.emplace_back(std::move(name), std::move(content));
  m_changed.notify_all();
}

void ManifestWriter::run() {
  while (true) {
    std::pair<std::string, std::string> item;
    {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [this] { return !m_queue.empty() || m_closing; });
      if (m_queue.empty())
        return;
      item = std::move(m_queue.front());
      m_queue.pop_front();
      m_changed.notify_all();
      if (m_error)
        continue; // drain: nothing more is written after a failure
    }
    auto written = util::replace_file(m_dir + "/" + item.first, item.second, 0640);
    std::lock_guard lock(m_mutex);
    if (written)
      m_written = true;
    else if (!m_error)
      m_error = written.error();
    m_changed.notify_all();
  }
}

void ManifestWriter::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_closing = true;
  }
  m_changed.notify_all();
  if (m_thread.joinable())
    m_thread.join();
}

Result<void> ManifestWriter::finish() {
  stop();
  if (m_error)
    return std::unexpected(m_error->context("writing manifests"));
  if (m_written)
    OM_TRY_VOID(util::sync_dir(m_dir));
  return {};
}

} // namespace om::sync
