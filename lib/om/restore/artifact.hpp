#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <om/log/progress_line.hpp>
#include <om/progress/job_progress.hpp>
#include <om/restore/source.hpp>
#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::restore {

// Whether a tar member would be written outside the target folder: absolute, or with a '..'
// component anywhere.
[[nodiscard]] bool is_unsafe_member(std::string_view member);

// A legacy artifact (.tar.gz or .sql.gz), opened once: it is checked, listed and restored
// through the same open file, so what was checked is what is restored. Children read it as
// their stdin and share its file offset, so our own lseek tells how far they have read:
// progress without copying the data.
class OpenedArtifact {
public:
  [[nodiscard]] static Result<OpenedArtifact> open(const Source& source);

  // Size and sha256 must be what the catalog recorded, byte for byte.
  [[nodiscard]] Result<void> verify() const;
  // A tar made elsewhere (or tampered with) must not write outside the target.
  [[nodiscard]] Result<void> check_tar_members() const;
  // A descriptor for a child's stdin, reading from the start; proc closes it once the child
  // has it.
  [[nodiscard]] Result<int> child_stdin() const;
  // Shows how far the reading child has come, and hands it to the restore's row (when given;
  // the row gets the whole at once: a small artifact is read before the first tick).
  [[nodiscard]] std::function<void()> ticker(log::ProgressLine& line,
                                             progress::JobProgress* row) const;

private:
  OpenedArtifact(util::Fd fd, std::int64_t size, Source source)
      : m_fd(std::move(fd)), m_size(size), m_source(std::move(source)) {}
  util::Fd m_fd;
  std::int64_t m_size;
  Source m_source;
};

} // namespace om::restore
