#include <om/log/logging.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>

#include <fcntl.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <date/tz.h>

#include <om/util/fd.hpp>
#include <om/util/files.hpp>
#include <om/util/time.hpp>

namespace om::log {
namespace {

// The run's log, written through the descriptor that created it (O_EXCL, close-on-exec):
// never reopened by name, so a link swapped in meanwhile is not followed, and no child
// inherits it. One write per line; a line is never split between two writes.
class RunLogSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  explicit RunLogSink(util::Fd fd) : m_fd(std::move(fd)) {}

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    // A full disk must not stop the backup; stderr still has the message.
    (void)util::write_all(m_fd.get(), std::string_view(line.data(), line.size()));
  }
  void flush_() override {}

private:
  util::Fd m_fd;
};

// The end of what was logged, kept in memory (a bounded amount).
class TailSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  static constexpr std::size_t k_keep = std::size_t{64} * 1024;

  std::string text() {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& line : m_lines)
      out += line;
    return out;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    m_lines.emplace_back(line.data(), line.size());
    m_bytes += m_lines.back().size();
    while (m_bytes > k_keep && m_lines.size() > 1) {
      m_bytes -= m_lines.front().size();
      m_lines.pop_front();
    }
  }
  void flush_() override {}

private:
  std::deque<std::string> m_lines;
  std::size_t m_bytes = 0;
};

std::shared_ptr<spdlog::sinks::sink> g_file_sink;
std::shared_ptr<TailSink> g_tail_sink;

} // namespace

void init(std::string_view tool, int verbosity) {
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  stderr_sink->set_pattern("%n: %l: %v");
  auto level = verbosity >= 2   ? spdlog::level::debug
               : verbosity == 1 ? spdlog::level::info
                                : spdlog::level::warn;
  stderr_sink->set_level(level);
  g_tail_sink = std::make_shared<TailSink>();
  g_tail_sink->set_pattern("[%Y-%m-%d %H:%M:%S] %l: %v");
  g_tail_sink->set_level(spdlog::level::info);
  auto logger = std::make_shared<spdlog::logger>(std::string(tool),
                                                 spdlog::sinks_init_list{stderr_sink, g_tail_sink});
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

Result<std::string> open_run_log(const std::string& log_dir, const std::string& header,
                                 const std::string& prefix) {
  OM_TRY_VOID(util::make_dirs(log_dir, 0750));
  auto stamp = util::format_time(util::now_unix(), date::current_zone(), "%Y%m%d-%H%M%S");
  std::string path;
  util::Fd fd;
  // Two runs in one second (a dry run beside a real one) must not share a file.
  for (int attempt = 0; attempt < 100 && !fd; ++attempt) {
    path = log_dir + "/" + prefix + "-" + stamp;
    if (attempt > 0)
      path += "-" + std::to_string(attempt);
    path += ".log";
    fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640));
    if (!fd && errno != EEXIST)
      return fail("creating log file " + path + ": " + std::strerror(errno));
  }
  if (!fd)
    return fail("creating log file " + path + ": a hundred runs this second already have one");
  g_file_sink = std::make_shared<RunLogSink>(std::move(fd));
  g_file_sink->set_pattern("[%Y-%m-%d %H:%M:%S] %v");
  g_file_sink->set_level(spdlog::level::info);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(g_file_sink);
  g_file_sink->log(spdlog::details::log_msg(logger->name(), spdlog::level::info, header));
  g_file_sink->set_pattern("[%Y-%m-%d %H:%M:%S] %l: %v");
  return path;
}

std::string recent(std::size_t max_bytes) {
  if (!g_tail_sink)
    return "";
  auto text = g_tail_sink->text();
  if (text.size() <= max_bytes)
    return text;
  auto cut = text.find('\n', text.size() - max_bytes);
  return cut == std::string::npos ? std::string() : text.substr(cut + 1);
}

void close_run_log() {
  if (!g_file_sink)
    return;
  auto logger = spdlog::default_logger();
  logger->flush();
  auto& sinks = logger->sinks();
  std::erase(sinks, g_file_sink);
  g_file_sink.reset();
}

} // namespace om::log
