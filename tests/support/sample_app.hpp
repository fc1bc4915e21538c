#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/test_catalog.hpp"
#include "support/tool_runner.hpp"

namespace om::test {

// A small copy of the web application to back up: a tree (with uploads and node_modules),
// its tables in the test catalog's database (as in the seed), a borg repository path, log
// and state folders, each in the test's own temp dir, and borg's own folders too.
class SampleApp {
public:
  explicit SampleApp(TestCatalog& db, bool migrate = true);

  TestCatalog& db;
  TempDir dir;
  std::string prod;
  std::string repo;
  std::string logs;
  std::string state;
  std::string passphrase = "correct horse battery staple";

  // Arguments every om-backup tool needs for this app.
  [[nodiscard]] std::vector<std::string> args(std::vector<std::string> extra = {}) const;
  // The environment: BORG_PASSPHRASE, and BORG_BASE_DIR so borg's cache is the test's own.
  [[nodiscard]] std::map<std::string, std::string> env() const;
  [[nodiscard]] ToolResult run(std::vector<std::string> extra = {}) const;
  // om-backup-restore with the same arguments and environment.
  [[nodiscard]] ToolResult restore(std::vector<std::string> extra) const;
  // om-backup-run as root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (setpriv), so a file
  // with mode 0000 is really unreadable to it, as it would be on a server.
  // `tool`: another om-backup tool run the same way (sync reading unreadable logs).
  [[nodiscard]] ToolResult run_unprivileged(std::vector<std::string> extra = {},
                                            const std::string& tool = "om-backup-run") const;
  // Runs borg itself against the repository; returns stdout, fails the test on error.
  [[nodiscard]] std::string borg(std::vector<std::string> args) const;
  // A script standing in for mysqldump (for failure and slow-dump tests).
  [[nodiscard]] std::string write_script(const std::string& name, const std::string& body) const;
};

} // namespace om::test
