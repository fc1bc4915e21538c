#include <om/run/progress.hpp>

#include <cstdio>
#include <string>

#include <sys/ioctl.h>
#include <unistd.h>

#include <om/util/strings.hpp>

namespace om::run {

void ProgressLine::update(const borg::LogLine& line) {
  if (!m_enabled || line.type != borg::LogLine::Type::archive_progress)
    return;
  if (line.finished || !line.progress) {
    clear();
    return;
  }
  winsize ws{};
  std::size_t width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
  std::string text = std::to_string(line.progress->nfiles) + " files, " +
                     util::human_bytes(line.progress->original_size) + " read, " +
                     util::human_bytes(line.progress->deduplicated_size) + " new  " + line.path;
  if (text.size() >= width)
    text = text.substr(0, width - 1);
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

} // namespace om::run
