#include <om/log/progress_line.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

#include <sys/ioctl.h>
#include <unistd.h>

#include <om/util/strings.hpp>

namespace om::log {

void ProgressLine::files(std::int64_t files, std::int64_t read_bytes, std::int64_t new_bytes,
                         std::string_view path) {
  if (!m_enabled)
    return;
  show(std::to_string(files) + " files, " + util::human_bytes(read_bytes) + " read, " +
       util::human_bytes(new_bytes) + " new  " + util::escape_controls(path));
}

void ProgressLine::message(std::string_view text) {
  if (m_enabled)
    show(util::escape_controls(util::trim(text)));
}

void ProgressLine::fraction(std::string_view what, std::int64_t done, std::int64_t total) {
  if (!m_enabled || total <= 0)
    return;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%5.1f%%",
                100.0 * static_cast<double>(done) / static_cast<double>(total));
  show(std::string(what) + ": " + percent + " of " + util::human_bytes(total));
}

void ProgressLine::show(std::string text) {
  winsize ws{};
  std::size_t width =
      ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
  // Cut to the width on a character boundary, never in the middle of one.
  std::size_t end = 0;
  for (std::size_t chars = 0; end < text.size() && chars + 1 < width; ++chars)
    end += std::max<std::size_t>(1, util::utf8_sequence_length(std::string_view(text).substr(end)));
  text.resize(std::min(end, text.size()));
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
