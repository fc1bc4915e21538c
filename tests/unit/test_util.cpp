#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

#include "support/temp_dir.hpp"

using namespace om;

TEST_CASE("strings: parse_int, parse_bool, first_line, shell_quote, human_bytes") {
  CHECK(util::parse_int("42") == 42);
  CHECK(util::parse_int("-7") == -7);
  CHECK_FALSE(util::parse_int("4x"));
  CHECK_FALSE(util::parse_int(""));
  CHECK(util::parse_bool("TRUE") == true);
  CHECK(util::parse_bool(" off ") == false);
  CHECK_FALSE(util::parse_bool("maybe"));
  CHECK(util::first_line("  first\nsecond") == "first");
  CHECK(util::shell_quote("plain/path") == "plain/path");
  CHECK(util::shell_quote("it's") == "'it'\\''s'");
  CHECK(util::human_bytes(512) == "512 B");
  CHECK(util::human_bytes(1536) == "1.5 KiB");
  CHECK(util::is_hex(std::string(64, 'a'), 64));
  CHECK_FALSE(util::is_hex(std::string(64, 'A'), 64));
}

TEST_CASE("uuid: v4 random and lowercase, v5 deterministic") {
  auto a = util::uuid_v4();
  auto b = util::uuid_v4();
  CHECK(util::is_uuid(a));
  CHECK(a != b);
  CHECK(a[14] == '4');
  auto x = util::uuid_v5("repo:archive");
  CHECK(util::is_uuid(x));
  CHECK(x[14] == '5');
  CHECK(x == util::uuid_v5("repo:archive"));
  CHECK(x != util::uuid_v5("repo:archive2"));
  CHECK_FALSE(util::is_uuid("not-a-uuid"));
}

TEST_CASE("sha256 of data and of a file agree with known values") {
  CHECK(util::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  test::TempDir dir;
  test::write_text(dir / "f", "abc");
  auto h = util::sha256_file(dir / "f");
  REQUIRE(h);
  CHECK(*h == util::sha256_hex("abc"));
  CHECK_FALSE(util::sha256_file(dir / "missing"));
}

TEST_CASE("time: borg's naive times in a zone, ISO 8601 out") {
  auto utc = util::find_zone("UTC");
  REQUIRE(utc);
  auto t = util::parse_local_time("2026-11-21T02:00:00.000000", *utc);
  REQUIRE(t);
  CHECK(*t == 1795226400);
  CHECK(util::iso8601(*t, *utc) == "2026-11-21T02:00:00+00:00");
  auto berlin = util::find_zone("Europe/Berlin");
  REQUIRE(berlin);
  auto b = util::parse_local_time("2026-11-21 03:00:00", *berlin);
  REQUIRE(b);
  CHECK(*b == 1795226400);
  // The hour that repeats when DST ends takes the earlier instant.
  auto fold = util::parse_local_time("2026-10-25T02:30:00", *berlin);
  REQUIRE(fold);
  CHECK(util::iso8601(*fold, *berlin) == "2026-10-25T02:30:00+02:00");
  CHECK_FALSE(util::parse_local_time("21/11/2026", *utc));
  CHECK_FALSE(util::find_zone("Not/AZone"));
}

TEST_CASE("files: atomic write replaces whole, with the mode asked") {
  test::TempDir dir;
  auto path = dir / "state.json";
  REQUIRE(util::write_file_atomic(path, "one", 0600));
  REQUIRE(util::write_file_atomic(path, "two", 0600));
  CHECK(test::read_text(path) == "two");
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(util::write_file_atomic(dir / "no/such/dir/f", "x"));
  REQUIRE(util::make_dirs(dir / "a/b/c"));
  CHECK(util::path_exists(dir / "a/b/c"));
  CHECK(util::check_writable_dir(dir / "a/b/c"));
  CHECK_FALSE(util::check_writable_dir(dir / "missing"));
}
