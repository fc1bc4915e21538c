#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <om/util/error.hpp>

namespace om::util {

// Splits a configured command ("sendmail -t", "curl -fsS 'https://hc-ping.com/x'") into argv
// with shell-like quoting ('…', "…", backslash) but no expansion of any kind: it is run
// without a shell. Unbalanced quotes are an error.
[[nodiscard]] Result<std::vector<std::string>> split_command(std::string_view text);

} // namespace om::util
