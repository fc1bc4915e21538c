#include <catch2/catch.hpp>

#include <regex>

#include <om/config/config_file.hpp>

#include "support/tool_runner.hpp"

using namespace om;

namespace {
const std::vector<std::string> k_tools = {"om-backup-migrate", "om-backup-run",
                                          "om-backup-sync",    "om-backup-report",
                                          "om-backup-prune",   "om-backup-restore"};
}

TEST_CASE("every tool answers --help and --version with exit 0") {
  for (const auto& tool : k_tools) {
    auto help = test::run_tool(tool, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--config") != std::string::npos);
    auto version = test::run_tool(tool, {"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with(tool + " "));
  }
}

TEST_CASE("every long option of every tool can be set in the shared config file") {
  std::regex long_option("--([a-z][a-z0-9-]+)");
  for (const auto& tool : k_tools) {
    auto help = test::run_tool(tool, {"--help"});
    REQUIRE(help.exit_code == 0);
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), long_option);
         it != std::sregex_iterator(); ++it) {
      auto key = (*it)[1].str();
      if (key == "help" || key == "version")
        continue;
      INFO(tool << " --" << key);
      CHECK(config::find_key(key).has_value());
    }
  }
}
