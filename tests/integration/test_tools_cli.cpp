#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <om/config/config_file.hpp>
#include <om/proc/run.hpp>
#include <om/util/strings.hpp>

#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

using namespace om;

namespace {
const std::vector<std::string> k_tools = test::all_tools();

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

TEST_CASE("every long option of every tool can be set in the shared config file and is shown "
          "by report config") {
  // What report config shows, without a config file: every setting and its default.
  auto shown = test::run_tool("om-backup-report", {"config", "--json"});
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  // An option's own line in --help ("  -n,--dry-run  …", CLI11 2.4's "  -n,     --dry-run",
  // "  --repo TEXT …"), not a flag of borg's named in a description.
  std::regex long_option(R"((?:^|\n) +(?:-[a-zA-Z], *)?--([a-z][a-z0-9-]+))");
  std::size_t options = 0;
  for (const auto& tool : k_tools) {
    auto help = test::run_tool(tool, {"--help"});
    REQUIRE(help.exit_code == 0);
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), long_option);
         it != std::sregex_iterator(); ++it) {
      auto key = (*it)[1].str();
      if (key == "help" || key == "version" || key == "config")
        continue;
      INFO(tool << " --" << key);
      ++options;
      CHECK(config::find_key(key).has_value());
      CHECK(shown.out.find(R"({"key":")" + key + R"(",)") != std::string::npos);
    }
  }
  CHECK(options > 100);
}

namespace {

// A value each key accepts, by its type, or by what the tools check of it.
std::string valid_value(const config::KeySpec& spec) {
  static const std::map<std::string_view, std::string> k_special = {
      {"format", "json"},
      {"kind", "borg"},
      {"copy-to", "s3:bucket/om"},
      {"ping-style", "json"},
      {"ping-url", "https://hc-ping.example/6f3c0c8e"},
      {"since", "7d"},
      {"until", "1d"},
      {"max-age", "26h"},
      {"max-runtime", "6h"},
      {"max-copy-age", "2d"},
      {"max-verify-age", "35d"},
      {"level", "data"},
      {"check-schedule", "30 4 * * *"},
      {"check-budget", "1h"},
      {"check-data-every", "30d"},
      {"check-bytes-per-run", "4G"},
      {"schedule", "0 2 * * *"},
      {"to", "5"},
      {"encryption", "repokey-blake2"},
      {"archive-format", "om-{hostname}-{now}"},
      {"notification-email", "admin@example.org"}};
  if (auto it = k_special.find(spec.name); it != k_special.end())
    return it->second;
  switch (spec.type) {
  case config::KeySpec::Type::flag:
    return "yes";
  case config::KeySpec::Type::number:
    return std::to_string(std::max<std::int64_t>(spec.min, 1));
  case config::KeySpec::Type::text:
    break;
  }
  return "/var/tmp/om-test-" + std::string(spec.name);
}

} // namespace

TEST_CASE("every key README and docs/ document for the config file is one the tools know, and a "
          "file holding any key is accepted by every tool and shown by report config") {
  // The ini examples of README and every page of docs/, commented-out keys too.
  std::string pages = test::read_text(std::string(OM_SOURCE_DIR) + "/README.md");
  for (const auto& page : std::filesystem::directory_iterator(std::string(OM_SOURCE_DIR) + "/docs"))
    if (page.path().extension() == ".md")
      pages += "\n" + test::read_text(page.path().string());
  std::set<std::string> documented;
  bool in_ini = false;
  for (auto line : util::split(pages, '\n')) {
    if (line.starts_with("```"))
      in_ini = line == "```ini";
    else if (in_ini) {
      auto text = util::trim(line.starts_with("# ") ? line.substr(2) : line);
      auto eq = text.find(" = ");
      if (eq != std::string_view::npos && text.front() != '[' && text.front() != '#')
        documented.emplace(text.substr(0, eq));
    }
  }
  REQUIRE(documented.size() > 10);
  for (const auto& key : documented) {
    INFO(key);
    const bool target_key = std::ranges::any_of(config::target_keys(),
                                                [&](const auto& spec) { return spec.name == key; });
    CHECK((config::find_key(key).has_value() || target_key));
  }

  // One file holding every key a tool knows, each with a valid value.
  test::TempDir dir;
  const auto file = dir / "om.conf";
  std::string text;
  std::vector<std::string> keys;
  for (const auto& spec : config::known_config_keys()) {
    if (spec.name == "config")
      continue; // names the file itself
    keys.emplace_back(spec.name);
    text += std::string(spec.name) + " = " + valid_value(spec) + "\n";
  }
  test::write_text(file, text);
  for (const auto& tool : k_tools) {
    INFO(tool << " with\n" << text);
    auto r = test::run_tool(tool, {"--config", file, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
  // report config lists each with its line of the file as its origin (taken by report's own
  // option where it has one: the value went through its parser).
  auto shown = test::run_tool("om-backup-report", {"--config", file, "config", "--json"});
  INFO(shown.out << shown.err);
  REQUIRE(shown.exit_code == 0);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    INFO(keys[i]);
    const auto at = shown.out.find(R"({"key":")" + keys[i] + R"(",)");
    REQUIRE(at != std::string::npos);
    const auto entry = shown.out.substr(at, shown.out.find("\"}", at) + 1 - at);
    if (keys[i] == "json") { // config --json: given on the command line too, which wins
      CHECK(entry == R"({"key":"json","value":"true","origin":"command-line")");
      continue;
    }
    CHECK_THAT(entry, om::test::EndsWith(R"("origin":"file:)" + file + ":" + std::to_string(i + 1) +
                                         "\""));
  }
}
