#pragma once

#include <om/borg/types.hpp>
#include <om/log/progress_line.hpp>

namespace om::borg {

// Shows what a --log-json line of borg says about its progress: archive_progress (files,
// bytes, the current path) or progress_percent (extract); ends the line when borg says it
// finished. Other lines are not progress and are ignored.
void show_progress(const LogLine& line, log::ProgressLine& progress);

} // namespace om::borg
