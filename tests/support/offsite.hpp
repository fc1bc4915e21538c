#pragma once

#include <string>
#include <vector>

#include "support/sample_app.hpp"
#include "support/ssh_server.hpp"

namespace om::test {

// The sample app with a second target, `offsite`: a repository behind a real sshd, append-only
// unless asked otherwise, named in a config file with its own passphrase, key and known hosts.
struct Offsite {
  explicit Offsite(SampleApp& sample, const std::string& extra_config = "prune = no\n",
                   bool append_only = true);

  // om-backup-run with the config file.
  [[nodiscard]] ToolResult run(std::vector<std::string> extra = {}) const;
  // Another tool with the sample app's arguments and the config file.
  [[nodiscard]] ToolResult tool(const std::string& name, std::vector<std::string> args) const;
  // om-backup-report with the catalog, the local repository and the config file.
  [[nodiscard]] ToolResult report(const std::vector<std::string>& args) const;
  // borg itself against the offsite repository, as an admin would run it.
  [[nodiscard]] std::string borg(const std::string& args) const;
  // The offsite repository's archive names (checkpoints too), oldest first.
  [[nodiscard]] std::vector<std::string> archives() const;

  SampleApp& app;
  SshServer ssh;
  std::string passphrase_file;
  std::string config;
};

} // namespace om::test
