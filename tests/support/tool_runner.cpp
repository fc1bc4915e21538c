#include "support/tool_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <om/proc/run.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::test {

std::string tool_path(const std::string& tool) {
  return std::string(OM_TOOLS_DIR) + "/" + tool;
}

std::vector<std::string> all_tools() {
  std::vector<std::string> tools;
  for (const auto& e : std::filesystem::directory_iterator(std::string(OM_SOURCE_DIR) + "/tools")) {
    const auto name = e.path().filename().string();
    if (name.starts_with("om-backup-") && name.ends_with(".cpp"))
      tools.push_back(name.substr(0, name.size() - 4));
  }
  std::ranges::sort(tools);
  return tools;
}

std::string shell(const std::string& script) {
  proc::Command c;
  c.argv = {"sh", "-c", script};
  c.timeout = std::chrono::minutes(2);
  auto r = proc::run(c);
  if (!r)
    throw std::runtime_error(script + ": " + r.error().message);
  if (!r->success())
    throw std::runtime_error(script + ": " + r->describe() + ": " + r->stderr_text);
  return r->stdout_text;
}

namespace {

ToolResult run_command(proc::Command cmd, const std::map<std::string, std::string>& env,
                       const std::vector<std::string>& unset) {
  cmd.env_set = env;
  cmd.env_unset = unset;
  // The tests' own configuration must not leak in from the machine.
  cmd.env_set.emplace("OM_BACKUP_CONFIG", "/dev/null");
  cmd.timeout = std::chrono::minutes(10);
  auto start = util::monotonic_ms();
  auto outcome = proc::run(cmd);
  if (!outcome)
    throw std::runtime_error(outcome.error().message);
  ToolResult r;
  r.exit_code = outcome->exit_code;
  r.term_signal = outcome->term_signal;
  r.out = outcome->stdout_text;
  r.err = outcome->stderr_text;
  r.seconds = static_cast<double>(util::monotonic_ms() - start) / 1000.0;
  return r;
}

} // namespace

ToolResult run_tool(const std::string& tool, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env,
                    const std::vector<std::string>& unset) {
  proc::Command cmd;
  cmd.argv.push_back(tool_path(tool));
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  return run_command(std::move(cmd), env, unset);
}

ToolResult run_tool_via(const std::vector<std::string>& prefix, const std::string& tool,
                        const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env) {
  proc::Command cmd;
  cmd.argv = prefix;
  cmd.argv.push_back(tool_path(tool));
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  return run_command(std::move(cmd), env, {});
}

ToolResult run_tool_on_terminal(const std::string& tool, const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) {
  std::string line = util::shell_quote(tool_path(tool));
  for (const auto& a : args)
    line += " " + util::shell_quote(a);
  proc::Command cmd;
  // -e: the tool's exit status is script's; -f: flush as it comes.
  cmd.argv = {"script", "--quiet", "--flush", "--return", "--command", line, "/dev/null"};
  return run_command(std::move(cmd), env, {});
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (auto line : util::split(util::trim(text), '\n')) {
    if (!line.empty())
      lines.emplace_back(line);
  }
  return lines;
}

std::string manifest_problems(const std::vector<std::string>& paths) {
  proc::Command cmd;
  // Debian's python3 and its python3-jsonschema (scripts/test installs both).
  cmd.argv = {"/usr/bin/python3",
              std::string(OM_SOURCE_DIR) + "/tests/support/validate_manifest.py",
              std::string(OM_SOURCE_DIR) + "/docs/manifest.schema.json"};
  cmd.argv.insert(cmd.argv.end(), paths.begin(), paths.end());
  cmd.timeout = std::chrono::minutes(1);
  auto r = proc::run(cmd);
  if (!r)
    return r.error().message;
  if (paths.empty())
    return "no manifest to check";
  return r->success() ? std::string() : r->stdout_text + r->stderr_text;
}

std::string q(const std::string& s) {
  return util::shell_quote(s);
}

} // namespace om::test
