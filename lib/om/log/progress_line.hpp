#pragma once

#include <cstdint>
#include <string_view>

#include <om/borg/types.hpp>

namespace om::log {

// One self-overwriting line on a terminal: borg's archive_progress (files, bytes, path) and
// progress_percent (extract), or a fraction we measure ourselves (a legacy artifact read).
// Does nothing when disabled (stderr is not a terminal: cron, pipes).
class ProgressLine {
public:
  explicit ProgressLine(bool enabled) : m_enabled(enabled) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const borg::LogLine& line);
  // "<what>: 42.0% of 1.2 GiB".
  void fraction(std::string_view what, std::int64_t done, std::int64_t total);
  void clear();

private:
  void show(std::string text);

  bool m_enabled;
  bool m_shown = false;
};

} // namespace om::log
