#include "support/catch.hpp"

#include <om/report/when.hpp>
#include <om/util/time.hpp>

using namespace om;

TEST_CASE("durations that overflow are usage errors, times before the epoch mean all history") {
  auto huge = util::parse_duration("99999999999999999d");
  REQUIRE_FALSE(huge);
  CHECK(huge.error().status == ExitStatus::usage);
  CHECK_FALSE(report::parse_when("99999999999999999d", 1'000'000));
  CHECK(report::parse_when("60000d", 1'000'000) == 0);
  CHECK(report::parse_when("1900-01-01", 1'000'000) == 0);
  CHECK(report::parse_when("2d", 1'000'000) == 1'000'000 - 2 * 86400);
}
