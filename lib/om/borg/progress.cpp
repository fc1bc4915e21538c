#include <om/borg/progress.hpp>

namespace om::borg {

void show_progress(const LogLine& line, log::ProgressLine& progress) {
  using T = LogLine::Type;
  if (line.type != T::archive_progress && line.type != T::progress_percent)
    return;
  if (line.finished)
    progress.clear();
  else if (line.type == T::progress_percent)
    progress.message(line.message);
  else if (line.progress)
    progress.files(line.progress->nfiles, line.progress->original_size,
                   line.progress->deduplicated_size, line.path);
}

} // namespace om::borg
