#include <om/util/host.hpp>

#include <array>
#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace om::util {

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0)
    return "localhost";
  std::string name = buf.data();
  return name.substr(0, name.find('.'));
}

std::string login_name() {
  if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0')
    return sudo;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr)
    return pw->pw_name;
  return "uid-" + std::to_string(::getuid());
}

} // namespace om::util
