#pragma once
// The one place that knows which Catch2 is installed: v2 on Debian 12 (one header), v3 on
// Debian 13 (split headers, a compiled library). CMake defines OM_CATCH2_V3 for v3. Tests
// include this header and use om::test's matchers, which mean the same on both.
#ifdef OM_CATCH2_V3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

using Catch::Approx;

namespace om::test {
// v3 spells v2's string Contains ContainsSubstring; its own Contains is a range matcher,
// which a std::string argument would silently select.
inline Catch::Matchers::StringContainsMatcher Contains(const std::string& text) {
  return Catch::Matchers::ContainsSubstring(text);
}
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
} // namespace om::test
#else
#include <catch2/catch.hpp>

namespace om::test {
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
} // namespace om::test
#endif
