#pragma once

#include <map>
#include <string>
#include <vector>

namespace om::test {

struct ToolResult {
  int exit_code = -1;
  int term_signal = 0;
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs a built tool (om-backup-<name>) as a real process, like cron would: no terminal,
// stdin /dev/null. `env` is added to ours; `unset` removed (BORG_PASSPHRASE, say).
[[nodiscard]] ToolResult run_tool(const std::string& tool, const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env = {},
                                  const std::vector<std::string>& unset = {});

// The same, started through `prefix` (a command that runs its arguments elsewhere: on a test
// network's host, say).
[[nodiscard]] ToolResult run_tool_via(const std::vector<std::string>& prefix,
                                      const std::string& tool, const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& env = {});

// Runs a built tool as an admin at a terminal would: stdout and stderr are one pseudo-terminal
// (util-linux `script`), so `out` holds both, escape sequences and all; `err` stays empty.
[[nodiscard]] ToolResult run_tool_on_terminal(const std::string& tool,
                                              const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& env = {});

// Runs a shell command for a test's own checks (sha256sum, tar, find); throws unless it
// succeeds. Returns its stdout.
[[nodiscard]] std::string shell(const std::string& script);
// `s` quoted for a shell script (util::shell_quote).
[[nodiscard]] std::string q(const std::string& s);

// Checks manifests against docs/manifest.schema.json with a real validator (python3's
// jsonschema); returns the problems found, "" when every one is valid.
[[nodiscard]] std::string manifest_problems(const std::vector<std::string>& paths);

// The non-empty lines of a command's output (`borg list --short`: archive names).
[[nodiscard]] std::vector<std::string> lines_of(const std::string& text);

// Every tool of the suite (tools/om-backup-*.cpp), by name: a new tool is in every test that
// walks them all.
[[nodiscard]] std::vector<std::string> all_tools();

// The path of a built tool.
[[nodiscard]] std::string tool_path(const std::string& tool);

} // namespace om::test
