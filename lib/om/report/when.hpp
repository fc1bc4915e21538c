#pragma once

#include <cstdint>
#include <string_view>

#include <om/util/error.hpp>

namespace om::report {

// --since/--until: "2026-02-07", "2026-02-07T02:00" (local time), "24h", "7d", "90m", "2w"
// (ago). Anything else is a usage error (exit 64).
[[nodiscard]] Result<std::int64_t> parse_when(std::string_view text, std::int64_t now);

} // namespace om::report
