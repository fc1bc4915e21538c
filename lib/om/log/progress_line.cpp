#include <om/log/progress_line.hpp>

#include <cstdio>
#include <string>

#include <sys/ioctl.h>
#include <unistd.h>

#include <om/util/strings.hpp>

namespace om::log {

void ProgressLine::update(const borg::LogLine& line) {
  using T = borg::LogLine::Type;
  if (!m_enabled || (line.type != T::archive_progress && line.type != T::progress_percent))
    return;
  if (line.finished) {
    clear();
    return;
  }
  if (line.type == T::progress_percent) {
    show(std::string(util::trim(line.message)));
    return;
  }
  if (!line.progress)
    return;
  show(std::to_string(line.progress->nfiles) + " files, " +
       util::human_bytes(line.progress->original_size) + " read, " +
       util::human_bytes(line.progress->deduplicated_size) + " new  " + line.path);
}

void ProgressLine::fraction(std::string_view what, std::int64_t done, std::int64_t total) {
  if (!m_enabled || total <= 0)
    return;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%5.1f%%", 100.0 * static_cast<double>(done) / static_cast<double>(total));
  show(std::string(what) + ": " + percent + " of " + util::human_bytes(total));
}

void ProgressLine::show(std::string text) {
  winsize ws{};
  std::size_t width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
  if (text.size() >= width)
    text.resize(width - 1);
  std::fprintf(stderr, "\r%s\033[K", text.c_str());
  std::fflush(stderr);
  m_shown = true;
}

void ProgressLine::clear() {
  if (!m_shown)
    return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  m_shown = false;
}

} // namespace om::log
