#include <om/util/fd.hpp>

#include <array>
#include <cerrno>

namespace om::util {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool read_all(int fd, const std::function<void(std::string_view)>& take) {
  std::array<char, 1 << 16> buf{};
  while (true) {
    const auto n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    if (n == 0)
      return true;
    take(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
}

} // namespace om::util
