#include "support/catch.hpp"

#include <string>
#include <vector>

#include <om/borg/json_stream.hpp>

using namespace om;

namespace {

struct Walked {
  std::vector<std::string> archives;
  std::vector<std::string> members;
  Result<bool> result = false;
};

// Walks `text` through a reader that hands out `piece` bytes at a time, so every split point
// of the document is crossed.
Walked walk(const std::string& text, std::size_t piece) {
  Walked w;
  std::size_t at = 0;
  borg::ByteReader read = [&](char* buf, std::size_t size) -> Result<std::size_t> {
    auto n = std::min({size, piece, text.size() - at});
    text.copy(buf, n, at);
    at += n;
    return n;
  };
  w.result =
      borg::walk_document(read, {[&](std::string_view j) -> Result<void> {
                                   w.archives.emplace_back(j);
                                   return {};
                                 },
                                 [&](std::string_view k, std::string_view j) -> Result<void> {
                                   w.members.push_back(std::string(k) + "=" + std::string(j));
                                   return {};
                                 }});
  return w;
}

} // namespace

TEST_CASE("json_stream: each archive and each other member, whatever the read sizes") {
  const std::string doc = R"( {"archives": [ {"name": "a}{\"", "id": "1", "x": [1, {"y": "]"}]},
    {"name": "b\\", "n": -1.5e3} ], "encryption": {"mode": "repokey"}, "n": 42, "s": "t", "z": null } )";
  for (std::size_t piece : {1, 2, 3, 7, 64, 1 << 20}) {
    INFO(piece);
    auto w = walk(doc, piece);
    REQUIRE(w.result);
    CHECK(*w.result);
    REQUIRE(w.archives.size() == 2);
    CHECK(w.archives[0] == R"({"name": "a}{\"", "id": "1", "x": [1, {"y": "]"}]})");
    CHECK(w.archives[1] == R"({"name": "b\\", "n": -1.5e3})");
    CHECK(w.members == std::vector<std::string>{R"(encryption={"mode": "repokey"})", "n=42",
                                                R"(s="t")", "z=null"});
  }
}

TEST_CASE("json_stream: empty archives, no archives member") {
  auto empty = walk(R"({"archives": [], "repository": {}})", 5);
  REQUIRE(empty.result);
  CHECK(*empty.result);
  CHECK(empty.archives.empty());
  auto none = walk(R"({"repository": {"id": "r"}})", 5);
  REQUIRE(none.result);
  CHECK_FALSE(*none.result);
  CHECK(none.members.size() == 1);
}

TEST_CASE("json_stream: truncated, garbage and trailing bytes are errors") {
  const std::string doc =
      R"({"archives": [{"name": "a"}, {"name": "b"}], "repository": {"id": "r"}})";
  // Cut anywhere: never a complete-looking walk.
  for (std::size_t cut = 0; cut < doc.size(); ++cut) {
    INFO(cut);
    CHECK_FALSE(walk(doc.substr(0, cut), 4).result);
  }
  CHECK_FALSE(walk("garbage", 4).result);
  CHECK_FALSE(walk(R"([{"name": "a"}])", 4).result);
  CHECK_FALSE(walk(doc + " {}", 4).result);
  CHECK_FALSE(walk(R"({"archives": [{"name": "a"} {"name": "b"}]})", 4).result);
  auto truncated = walk(R"({"archives": [{"name": "a"}, {"na)", 4);
  REQUIRE_FALSE(truncated.result);
  CHECK(truncated.result.error().message == "the JSON document ends early (truncated?)");
  CHECK(truncated.archives.size() == 1); // what came before was handed out: callers roll back
}
