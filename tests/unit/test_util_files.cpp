#include "support/catch.hpp"

#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>

#include "support/temp_dir.hpp"

using namespace om;

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

TEST_CASE("files: atomic write replaces whole, with the mode asked") {
  test::TempDir dir;
  auto path = dir / "state.json";
  REQUIRE(util::write_file_atomic(path, "one", 0600));
  REQUIRE(util::write_file_atomic(path, "two", 0600));
  CHECK(test::read_text(path) == "two");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(util::write_file_atomic(dir / "no/such/dir/f", "x"));
  REQUIRE(util::make_dirs(dir / "a/b/c"));
  CHECK(util::path_exists(dir / "a/b/c"));
  CHECK(util::check_writable_dir(dir / "a/b/c"));
  CHECK_FALSE(util::check_writable_dir(dir / "missing"));
}
