#pragma once

#include <cstdint>

#include <om/util/time.hpp>

namespace om::test {

// A moment written as UTC ("2026-03-29T00:30:00"), as seconds since the epoch.
[[nodiscard]] inline std::int64_t utc(const char* t) {
  return *util::parse_local_time(t, *util::find_zone("UTC"));
}

} // namespace om::test
