// Every fuzz target's properties, on its seed corpus (fuzz/corpus/NAME) and on every input a
// fuzzer ever found (fuzz/regressions/NAME): what libFuzzer checks for hours, checked here on
// each build, without clang.
#include "support/catch.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "check.hpp"

namespace om::fuzz {

void violated(const std::string& what) {
  throw std::logic_error(what);
}

} // namespace om::fuzz

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("fuzz corpus: every target's properties hold on its seeds and its regressions") {
  std::size_t inputs = 0;
  for (const auto& target : om::fuzz::targets()) {
    for (const char* kind : {"corpus", "regressions"}) {
      const auto dir = std::filesystem::path(OM_FUZZ_DIR) / kind / target.name;
      if (!std::filesystem::is_directory(dir))
        continue;
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().filename() == ".gitkeep")
          continue;
        INFO(target.name << ": " << entry.path().string());
        CHECK_NOTHROW(target.run(read_all(entry.path())));
        ++inputs;
      }
    }
    // A few inputs every target must survive, whatever its corpus.
    using namespace std::string_view_literals;
    for (auto edge : {""sv, "\\"sv, "\n"sv, "\0"sv, "{"sv, "[target.x]"sv})
      CHECK_NOTHROW(target.run(edge));
  }
  CHECK(inputs >= om::fuzz::targets().size()); // every target has seeds
}
