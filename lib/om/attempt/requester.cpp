#include <om/attempt/requester.hpp>

#include <unistd.h>

#include <om/util/host.hpp>

namespace om::attempt {

std::string requester(const std::string& given, bool scheduled) {
  if (!given.empty())
    return given;
  if (scheduled || ::isatty(STDIN_FILENO) == 0)
    return "cron";
  return util::login_name();
}

} // namespace om::attempt
