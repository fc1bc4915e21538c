#pragma once

#include <cstdint>
#include <string_view>

namespace om::log {

// One self-overwriting line on a terminal: files and bytes so far (a backup), a message (a
// percentage borg gives), or a fraction we measure ourselves (a legacy artifact read). Plain
// numbers and text: where they come from (borg/progress.hpp) is not its business. Does
// nothing when disabled (stderr is not a terminal: cron, pipes). Control characters in a path
// are shown escaped, and the line is cut on a character boundary to the terminal's width.
class ProgressLine {
public:
  explicit ProgressLine(bool enabled) : m_enabled(enabled) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // "1234 files, 1.2 GiB read, 56 MiB new  <path>".
  void files(std::int64_t files, std::int64_t read_bytes, std::int64_t new_bytes,
             std::string_view path);
  void message(std::string_view text);
  // "<what>: 42.0% of 1.2 GiB".
  void fraction(std::string_view what, std::int64_t done, std::int64_t total);
  void clear();
  [[nodiscard]] bool enabled() const { return m_enabled; }

private:
  void show(std::string text);

  bool m_enabled;
  bool m_shown = false;
};

} // namespace om::log
