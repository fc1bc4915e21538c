#include "support/catch.hpp"

#include <om/borg/archive_name.hpp>
#include <om/borg/parse.hpp>

using namespace om;

TEST_CASE("archive names: the default format is unique beyond the second") {
  const std::string format = "om-{hostname}-{now:%Y-%m-%dT%H:%M:%S.%f}";
  const std::int64_t second = 1'790'000'000LL * 1'000'000;
  auto a = borg::expand_archive_name(format, second + 1, "web1", "root");
  auto b = borg::expand_archive_name(format, second + 2, "web1", "root");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  CHECK(a->ends_with(".000001"));
  auto utc = borg::expand_archive_name("x-{utcnow:%H%M%S%f}", second + 123456, "h", "u");
  REQUIRE(utc);
  CHECK(utc->ends_with("123456"));
}
