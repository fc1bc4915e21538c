#include "support/catch.hpp"

#include <om/borg/version.hpp>

using namespace om;

TEST_CASE("borg version: what borg --version prints, and the supported range") {
  auto v12 = borg::parse_version("borg 1.2.4\n");
  REQUIRE(v12);
  CHECK((v12->major == 1 && v12->minor == 2 && v12->patch == 4));
  CHECK(v12->text == "1.2.4");
  CHECK(borg::is_supported(*v12));
  auto v14 = borg::parse_version("borg 1.4.0");
  REQUIRE(v14);
  CHECK(borg::is_supported(*v14));
  auto beta = borg::parse_version("borg 2.0.0b19\n");
  REQUIRE(beta);
  CHECK(beta->major == 2);
  CHECK(beta->text == "2.0.0b19");
  CHECK_FALSE(borg::is_supported(*beta));
  auto old = borg::parse_version("borg 1.1.18");
  REQUIRE(old);
  CHECK_FALSE(borg::is_supported(*old));
  CHECK_FALSE(borg::is_supported(*borg::parse_version("borg 1.3.0")));
  CHECK(borg::parse_version("borg-linux64 1.4.1")->minor == 4);
  CHECK_FALSE(borg::parse_version(""));
  CHECK_FALSE(borg::parse_version("borg"));
  CHECK_FALSE(borg::parse_version("command not found: borg"));
  CHECK_FALSE(borg::parse_version("borg x.y"));
}

TEST_CASE("borg version: a program that is not there is no refusal - one that prints no "
          "version is exit 78") {
  auto missing = borg::require_supported("/nonexistent/borg");
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());
  auto other = borg::require_supported("/bin/true");
  REQUIRE_FALSE(other);
  CHECK(other.error().status == ExitStatus::config);
  CHECK_THAT(other.error().message, om::test::Contains("cannot tell which borg"));
}
