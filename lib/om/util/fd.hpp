#pragma once

#include <functional>
#include <string_view>
#include <utility>

#include <unistd.h>

namespace om::util {

// Owns a file descriptor; closes it once.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  [[nodiscard]] int get() const { return m_fd; }
  [[nodiscard]] explicit operator bool() const { return m_fd >= 0; }
  [[nodiscard]] int release() { return std::exchange(m_fd, -1); }
  void reset(int fd = -1) {
    if (m_fd >= 0)
      ::close(m_fd);
    m_fd = fd;
  }

private:
  int m_fd = -1;
};

// Writes all of `data` to `fd`, going on after EINTR and short writes. False on an error, with
// errno as write(2) left it.
[[nodiscard]] bool write_all(int fd, std::string_view data);

// Reads `fd` to its end, handing each chunk to `take`, going on after EINTR. False on an error,
// with errno as read(2) left it (what was read before is taken).
[[nodiscard]] bool read_all(int fd, const std::function<void(std::string_view)>& take);

} // namespace om::util
