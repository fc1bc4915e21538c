#pragma once

#include <string>
#include <string_view>

#include <sys/types.h>

#include <om/util/error.hpp>
#include <om/util/fd.hpp>

namespace om::util {

enum class Follow { yes, no };
// The whole file. Follow::no refuses a symbolic link (ELOOP) instead of reading where it leads.
[[nodiscard]] Result<std::string> read_file(const std::string& path, Follow links = Follow::yes);

// Writes a file so that readers see the old content or the new, never a part: a temporary
// name in the same folder, fsync, rename over, fsync of the folder.
[[nodiscard]] Result<void> write_file_atomic(const std::string& path, std::string_view content,
                                             mode_t mode = 0644);

// Like write_file_atomic but without fsync: for files that can be made again (manifests of
// synthesized jobs), written by the thousand. Readers still never see a part.
[[nodiscard]] Result<void> replace_file(const std::string& path, std::string_view content,
                                        mode_t mode = 0644);

// mkdir -p; existing folders are left as they are.
[[nodiscard]] Result<void> make_dirs(const std::string& path, mode_t mode = 0755);

// A folder om-backup keeps its own files in (state, lock, spool, manifests), created with
// `mode` if missing and opened without following links: it must be a real folder (not a
// symbolic link), owned by us or root, and writable by nobody else; anything else is an error
// saying why, so a neighbour cannot point our writes at a file of theirs. Files are then made
// with openat() under the returned descriptor.
[[nodiscard]] Result<Fd> open_private_dir(const std::string& path, mode_t mode = 0750);

// fsync of a folder, so a rename or unlink inside it survives a power loss.
[[nodiscard]] Result<void> sync_dir(const std::string& path);

// True when a writable file can be created in `dir` (checked by creating one).
[[nodiscard]] Result<void> check_writable_dir(const std::string& dir);

[[nodiscard]] bool path_exists(const std::string& path);

// A file of our own under $TMPDIR (mkstemp: new, mode 0600), removed when this goes.
class TempPath {
public:
  [[nodiscard]] static Result<TempPath> create(const std::string& prefix);
  TempPath(TempPath&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
  TempPath& operator=(TempPath&&) = delete;
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  ~TempPath();
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  explicit TempPath(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

// A new folder of our own under `parent` (a private folder, created if missing; mkdtemp, mode
// 0700), removed with everything in it when this goes: the scratch space of restore drills.
class ScratchDir {
public:
  [[nodiscard]] static Result<ScratchDir> create(const std::string& parent,
                                                 const std::string& prefix);
  ScratchDir(ScratchDir&& other) noexcept : m_path(std::move(other.m_path)) {
    other.m_path.clear();
  }
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  explicit ScratchDir(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

} // namespace om::util
