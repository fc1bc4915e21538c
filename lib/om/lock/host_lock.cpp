#include <om/lock/host_lock.hpp>

#include <cerrno>
#include <cstring>
#include <sstream>

#include <date/tz.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::lock {
namespace {

// The holder record, read through the descriptor we opened (not the path again).
std::string read_holder(int fd) {
  std::string text(4096, '\0');
  auto n = ::pread(fd, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return text;
}

} // namespace

std::string Holder::serialize() const {
  std::ostringstream out;
  out << "job=" << job_id << "\nhost=" << host << "\npid=" << pid << "\nstarted=" << started
      << "\ntool=" << tool << "\n";
  return out.str();
}

Holder Holder::parse(const std::string& text) {
  Holder h;
  for (auto line : util::split(text, '\n')) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      continue;
    auto key = line.substr(0, eq);
    auto value = std::string(line.substr(eq + 1));
    if (key == "job")
      h.job_id = value;
    else if (key == "host")
      h.host = value;
    else if (key == "pid")
      h.pid = static_cast<long>(util::parse_int(value).value_or(0));
    else if (key == "started")
      h.started = util::parse_int(value).value_or(0);
    else if (key == "tool")
      h.tool = value;
  }
  return h;
}

std::string Holder::describe() const {
  std::string out = job_id.empty() ? "a job being created" : "job " + job_id;
  if (!tool.empty())
    out += " (" + tool + ")";
  out += " on host " + (host.empty() ? "?" : host) + ", pid " + std::to_string(pid);
  if (started > 0)
    out += ", started " + util::format_time(started, date::current_zone(), "%Y-%m-%d %H:%M:%S");
  return out;
}

Result<HostLock> HostLock::acquire(const std::string& state_dir, Holder me, LockFile file) {
  OM_TRY(dir, util::open_private_dir(state_dir, 0750));
  const auto path = state_dir + "/" + file.name;
  for (int attempt = 0; attempt < 10; ++attempt) {
    // Never through a link: a .lock that points at another file must not get it truncated.
    util::Fd fd(::openat(dir.get(), file.name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640));
    if (!fd && errno == ELOOP)
      return fail("lock file " + path + " is a symbolic link: refusing to use it (remove it)");
    if (!fd)
      return fail("opening lock file " + path + ": " + std::strerror(errno));
    struct stat ours {};
    if (::fstat(fd.get(), &ours) != 0 || !S_ISREG(ours.st_mode) || ours.st_nlink != 1)
      return fail("lock file " + path +
                  " is not a plain file of its own (a hard link or a "
                  "special file): refusing to use it (remove it)");
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK)
        return fail("locking " + path + ": " + std::strerror(errno));
      auto holder = Holder::parse(read_holder(fd.get()));
      if (!holder.known())
        return fail(ExitStatus::temp_fail, "another process holds the " + std::string(file.work) +
                                               " lock " + path + " (not an om-backup tool)");
      return fail(ExitStatus::temp_fail,
                  "another " + std::string(file.work) + " is running: " + holder.describe());
    }
    // Someone may have removed or replaced the file between our open and our flock: then we
    // locked a file nobody else will look at. Take the one that is there now.
    struct stat there {};
    if (::fstatat(dir.get(), file.name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
        ours.st_ino == there.st_ino && ours.st_dev == there.st_dev) {
      HostLock lock(std::move(fd), std::move(me));
      lock.write_holder();
      return lock;
    }
  }
  return fail(ExitStatus::temp_fail, "lock file " + path + " keeps being replaced");
}

HostLock::~HostLock() {
  if (m_fd) [[maybe_unused]]
    auto r = ::ftruncate(m_fd.get(), 0);
}

void HostLock::set_job(const std::string& job_id) {
  m_holder.job_id = job_id;
  write_holder();
}

void HostLock::write_holder() {
  auto text = m_holder.serialize();
  if (::ftruncate(m_fd.get(), 0) == 0) [[maybe_unused]]
    auto n = ::pwrite(m_fd.get(), text.data(), text.size(), 0);
}

} // namespace om::lock
