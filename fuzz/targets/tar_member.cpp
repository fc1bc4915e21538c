// Member names of a legacy .tar.gz before it is restored: refused exactly when one would be
// written outside the target folder (absolute, or a '..' component anywhere).
#include <string>

#include <om/restore/artifact.hpp>
#include <om/util/strings.hpp>

#include "check.hpp"

namespace om::fuzz {

void tar_member(std::string_view input) {
  bool escapes = input.starts_with('/');
  for (auto component : util::split(input, '/'))
    escapes = escapes || component == "..";
  check(restore::is_unsafe_member(input) == escapes,
        "member '" + std::string(input) + "' judged " +
            (escapes ? "safe though it leaves the folder" : "unsafe though it stays inside"));
}

} // namespace om::fuzz
