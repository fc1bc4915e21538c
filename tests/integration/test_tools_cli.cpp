#include "support/catch.hpp"

#include <regex>

#include <om/config/config_file.hpp>
#include <om/proc/run.hpp>

#include "support/tool_runner.hpp"

using namespace om;

namespace {
const std::vector<std::string> k_tools = {"om-backup-migrate", "om-backup-run",
                                          "om-backup-sync",    "om-backup-report",
                                          "om-backup-prune",   "om-backup-restore"};

// Runs `script` with bash, the tool's path as $0.
proc::Outcome in_shell(const std::string& script, const std::string& tool) {
  proc::Command c;
  c.argv = {"bash", "-c", script, test::tool_path(tool)};
  c.timeout = std::chrono::seconds(30);
  auto r = proc::run(c);
  REQUIRE(r);
  return *r;
}
} // namespace

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

TEST_CASE("output that cannot be written fails the tool but a reader that stopped is no error") {
  for (const auto& tool : k_tools) {
    INFO(tool);
    // /dev/full: every write fails with ENOSPC, as on a full disk behind a redirection.
    auto full = in_shell("\"$0\" --help >/dev/full", tool);
    CHECK(full.exit_code == 2);
    // The reason is known when the last write failed; an earlier failed write leaves only
    // stdio's error flag, and the message says "write error", as coreutils do.
    CHECK(full.stderr_text.starts_with(tool + ": error: writing standard output: "));
    // A pipe into a reader that is gone (`| head -1` after its line) is no error.
    auto gone = in_shell("\"$0\" --help | true; exit ${PIPESTATUS[0]}", tool);
    CHECK(gone.exit_code == 0);
    CHECK(gone.stderr_text.empty());
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
