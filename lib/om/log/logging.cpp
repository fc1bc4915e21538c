#include <om/log/logging.hpp>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <date/tz.h>

#include <om/util/files.hpp>
#include <om/util/time.hpp>

namespace om::log {
namespace {

std::shared_ptr<spdlog::sinks::sink> g_file_sink;

} // namespace

void init(std::string_view tool, int verbosity) {
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  stderr_sink->set_pattern("%n: %l: %v");
  auto level = verbosity >= 2 ? spdlog::level::debug
               : verbosity == 1 ? spdlog::level::info
                                : spdlog::level::warn;
  stderr_sink->set_level(level);
  auto logger = std::make_shared<spdlog::logger>(std::string(tool), stderr_sink);
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

Result<std::string> open_run_log(const std::string& log_dir, const std::string& header,
                                 const std::string& prefix) {
  OM_TRY_VOID(util::make_dirs(log_dir, 0750));
  auto stamp = util::format_time(util::now_unix(), date::current_zone(), "%Y%m%d-%H%M%S");
  std::string path;
  // Two runs in one second (a dry run beside a real one) must not share a file.
  for (int attempt = 0; attempt < 100; ++attempt) {
    path = log_dir + "/" + prefix + "-" + stamp;
    if (attempt > 0)
      path += "-" + std::to_string(attempt);
    path += ".log";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd >= 0) {
      ::close(fd);
      break;
    }
    if (errno != EEXIST)
      return fail("creating log file " + path + ": " + std::strerror(errno));
  }
  try {
    g_file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
  } catch (const spdlog::spdlog_ex& e) {
    return fail("opening log file " + path + ": " + e.what());
  }
  g_file_sink->set_pattern("[%Y-%m-%d %H:%M:%S] %v");
  g_file_sink->set_level(spdlog::level::info);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(g_file_sink);
  g_file_sink->log(spdlog::details::log_msg(logger->name(), spdlog::level::info, header));
  g_file_sink->set_pattern("[%Y-%m-%d %H:%M:%S] %l: %v");
  return path;
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
