#include <om/restore/artifact.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/proc/run.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>

namespace om::restore {

Result<OpenedArtifact> OpenedArtifact::open(const Source& source) {
  util::Fd fd(::open(source.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd)
    return fail("artifact " + source.path + " is missing");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fail("reading " + source.path + ": " + std::strerror(errno));
  return OpenedArtifact(std::move(fd), st.st_size, source);
}

Result<void> OpenedArtifact::verify() const {
  const auto& s = m_source;
  if (s.size && m_size != *s.size)
    return fail("artifact " + s.path + " is " + std::to_string(m_size) +
                " bytes; the catalog recorded " + std::to_string(*s.size) + ": not restoring");
  if (!s.sha256)
    return {};
  util::Sha256 hash;
  std::string buf(1 << 20, '\0');
  for (off_t at = 0;;) { // pread: the shared offset stays where the children expect it
    auto n = ::pread(m_fd.get(), buf.data(), buf.size(), at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return fail("reading " + s.path + ": " + std::strerror(errno));
    if (n == 0)
      break;
    hash.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    at += n;
  }
  auto digest = hash.hex_digest();
  if (digest != *s.sha256)
    return fail("artifact " + s.path + " has sha256 " + digest + "; the catalog recorded " +
                *s.sha256 + ": not restoring");
  return {};
}

bool is_unsafe_member(std::string_view m) {
  return m.starts_with("/") || m == ".." || m.starts_with("../") ||
         m.find("/../") != std::string_view::npos || m.ends_with("/..");
}

Result<void> OpenedArtifact::check_tar_members() const {
  const auto& path = m_source.path;
  proc::Command list;
  list.argv = {"tar", "--list", "--gzip", "--file", "-"};
  OM_TRY(in, child_stdin());
  list.stdin_fd = in;
  bool bad = false;
  std::string offender;
  proc::Streams streams;
  streams.on_stdout_line = [&](std::string_view m) {
    if (is_unsafe_member(m) && !bad) {
      bad = true;
      offender = std::string(m);
    }
  };
  OM_TRY(r, proc::run(list, streams));
  if (bad)
    return fail("refusing " + path + ": it holds member '" + offender +
                "', which would be written outside the target folder");
  if (!r.success())
    return fail("listing " + path + ": tar " + r.describe() + ": " +
                util::first_line(r.stderr_text));
  return {};
}

Result<int> OpenedArtifact::child_stdin() const {
  if (::lseek(m_fd.get(), 0, SEEK_SET) != 0)
    return fail("rewinding " + m_source.path + ": " + std::strerror(errno));
  int fd = ::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0)
    return fail(std::string("duplicating a descriptor: ") + std::strerror(errno));
  return fd;
}

std::function<void()> OpenedArtifact::ticker(log::ProgressLine& line,
                                             progress::JobProgress* row) const {
  if (row != nullptr)
    row->position(0, m_size, {});
  auto what = "restoring " + std::filesystem::path(m_source.path).filename().string();
  return [this, &line, row, what] {
    const auto done = static_cast<std::int64_t>(::lseek(m_fd.get(), 0, SEEK_CUR));
    line.fraction(what, done, m_size);
    if (row != nullptr)
      row->position(done, m_size, {});
  };
}

} // namespace om::restore
