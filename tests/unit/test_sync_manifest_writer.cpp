#include "support/catch.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <om/sync/manifest_writer.hpp>

#include "support/temp_dir.hpp"

using namespace om;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

TEST_CASE("manifest writer: every file written whole, whatever the queue holds") {
  test::TempDir dir;
  {
    sync::ManifestWriter w(dir.path());
    for (int i = 0; i < 2500; ++i) // more than its queue holds
      w.write(std::to_string(i) + ".json", "{\"n\":" + std::to_string(i) + "}\n");
    REQUIRE(w.finish());
  }
  CHECK(read(dir / "0.json") == "{\"n\":0}\n");
  CHECK(read(dir / "2499.json") == "{\"n\":2499}\n");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 2500);
}

TEST_CASE("manifest writer: destroyed before finish(), it writes nothing more") {
  test::TempDir dir;
  {
    sync::ManifestWriter w(dir.path());
    for (int i = 0; i < 5000; ++i)
      w.write(std::to_string(i) + ".json", "{}");
  } // abandoned: whatever was still queued is dropped
  auto files = std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{});
  CHECK(files < 5000);
  for (const auto& e : fs::directory_iterator(dir.path())) // and nothing half-written
    CHECK(read(e.path()) == "{}");
}

TEST_CASE("manifest writer: a folder it cannot write to is an error from finish()") {
  test::TempDir dir;
  sync::ManifestWriter w(dir / "missing");
  w.write("a.json", "{}");
  auto r = w.finish();
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("writing manifests") == 0);
}
