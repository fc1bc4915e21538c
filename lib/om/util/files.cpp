#include <om/util/files.hpp>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/util/fd.hpp>

namespace om::util {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

Result<void> write_whole(int fd, std::string_view data, const std::string& path) {
  if (!util::write_all(fd, data))
    return fail("writing " + path + ": " + errno_text());
  return {};
}

} // namespace

Result<std::string> read_file(const std::string& path, Follow links) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | (links == Follow::no ? O_NOFOLLOW : 0)));
  if (!fd)
    return fail("reading " + path + ": " + errno_text());
  std::string out;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode))
    out.reserve(static_cast<std::size_t>(st.st_size));
  if (!read_all(fd.get(), [&out](std::string_view chunk) { out.append(chunk); }))
    return fail("reading " + path + ": " + errno_text());
  return out;
}

namespace {
Result<void> write_via_temp(const std::string& path, std::string_view content, mode_t mode,
                            bool durable) {
  std::string tmp = path + ".tmp-XXXXXX";
  Fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd)
    return fail("creating a temporary file beside " + path + ": " + errno_text());
  auto cleanup = [&] { ::unlink(tmp.c_str()); };
  if (::fchmod(fd.get(), mode) != 0) {
    cleanup();
    return fail("setting the mode of " + tmp + ": " + errno_text());
  }
  if (auto r = write_whole(fd.get(), content, tmp); !r) {
    cleanup();
    return r;
  }
  if (durable && ::fsync(fd.get()) != 0) {
    cleanup();
    return fail("syncing " + tmp + ": " + errno_text());
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    cleanup();
    return fail("renaming " + tmp + " to " + path + ": " + errno_text());
  }
  return {};
}
} // namespace

Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode) {
  OM_TRY_VOID(write_via_temp(path, content, mode, true));
  auto dir = std::filesystem::path(path).parent_path().string();
  return sync_dir(dir.empty() ? "." : dir);
}

Result<void> replace_file(const std::string& path, std::string_view content, mode_t mode) {
  return write_via_temp(path, content, mode, false);
}

Result<void> make_dirs(const std::string& path, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return {};
  std::string partial;
  for (const auto& part : std::filesystem::path(path)) {
    partial = partial.empty() ? part.string() : (std::filesystem::path(partial) / part).string();
    if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST)
      return fail("creating folder " + partial + ": " + errno_text());
  }
  if (!std::filesystem::is_directory(path, ec))
    return fail("creating folder " + path + ": not a folder");
  return {};
}

Result<Fd> open_private_dir(const std::string& path, mode_t mode) {
  OM_TRY_VOID(make_dirs(path, mode));
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ELOOP)
      return fail("folder " + path +
                  " is a symbolic link: om-backup writes only into folders of its own");
    if (errno == ENOTDIR)
      return fail(path + " is not a folder");
    return fail("opening folder " + path + ": " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fail("reading folder " + path + ": " + errno_text());
  if (st.st_uid != ::geteuid() && st.st_uid != 0)
    return fail("folder " + path + " belongs to uid " + std::to_string(st.st_uid) +
                ", not to this user: refusing to write into it");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char m[8];
    std::snprintf(m, sizeof m, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail("folder " + path + " is writable by others (mode " + m +
                "): refusing to write into it (chmod go-w " + path + ")");
  }
  return fd;
}

Result<void> sync_dir(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0)
    return fail("syncing folder " + path + ": " + errno_text());
  return {};
}

Result<void> check_writable_dir(const std::string& dir) {
  std::string probe = dir + "/.om-write-test-XXXXXX";
  Fd fd(::mkostemp(probe.data(), O_CLOEXEC));
  if (!fd)
    return fail("folder " + dir + " is not writable: " + errno_text());
  ::unlink(probe.c_str());
  return {};
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Result<TempPath> TempPath::create(const std::string& prefix) {
  const char* dir = std::getenv("TMPDIR");
  std::string name =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/" + prefix + "-XXXXXX";
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    return fail("creating a file like " + name + ": " + errno_text());
  ::close(fd);
  return TempPath(std::move(name));
}

TempPath::~TempPath() {
  if (!m_path.empty())
    ::unlink(m_path.c_str());
}

Result<ScratchDir> ScratchDir::create(const std::string& parent, const std::string& prefix) {
  OM_TRY_VOID(open_private_dir(parent, 0750));
  std::string name = parent + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(name.data()) == nullptr)
    return fail("creating a scratch folder in " + parent + ": " + errno_text());
  return ScratchDir(std::move(name));
}

ScratchDir::~ScratchDir() {
  if (!m_path.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
}

} // namespace om::util
