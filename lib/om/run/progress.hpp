#pragma once

#include <om/borg/types.hpp>

namespace om::run {

// One self-overwriting line on a terminal from borg's archive_progress: files, bytes, path.
// Does nothing when stderr is not a terminal (cron, pipes).
class ProgressLine {
public:
  explicit ProgressLine(bool enabled) : m_enabled(enabled) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const borg::LogLine& line);
  void clear();

private:
  bool m_enabled;
  bool m_shown = false;
};

} // namespace om::run
