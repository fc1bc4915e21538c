#include "support/sample_app.hpp"

#include <stdexcept>

#include <sys/stat.h>

#include <om/proc/run.hpp>

namespace om::test {

SampleApp::SampleApp(TestCatalog& catalog, bool migrate)
    : db(catalog), prod(dir / "prod"), repo(dir / "repo"), logs(dir / "logs"),
      state(dir / "state") {
  write_text(prod + "/server/index.js", "console.log('orthodoxmetrics');\n");
  write_text(prod + "/front-end/dist/app.js", std::string(20000, 'x'));
  write_text(prod + "/uploads/records/baptism 1.pdf", "%PDF-1.4 sample\n");
  write_text(prod + "/node_modules/left-pad/index.js", "module.exports = 1;\n");
  db.exec("CREATE TABLE parishes (id INT PRIMARY KEY, name VARCHAR(100), seal BLOB) "
          "DEFAULT CHARSET = utf8mb4"); // the application's own table, as it made it
  db.exec("INSERT INTO parishes VALUES (1, 'St. Nicholas', X'00FF10'), (2, 'Святой Дух', NULL)");
  if (migrate) {
    auto r = run_tool("om-backup-migrate", db.tool_args());
    if (r.exit_code != 0)
      throw std::runtime_error("migrate failed: " + r.err);
  }
}

std::vector<std::string> SampleApp::args(std::vector<std::string> extra) const {
  auto a = db.tool_args();
  a.insert(a.end(), {"--repo", repo, "--prod-root", prod, "--log-dir", logs, "--state-dir", state});
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::map<std::string, std::string> SampleApp::env() const {
  return {{"BORG_PASSPHRASE", passphrase}, {"BORG_BASE_DIR", dir / "borg-home"}};
}

ToolResult SampleApp::run(std::vector<std::string> extra) const {
  return run_tool("om-backup-run", args(std::move(extra)), env());
}

ToolResult SampleApp::restore(std::vector<std::string> extra) const {
  return run_tool("om-backup-restore", args(std::move(extra)), env());
}

ToolResult SampleApp::run_unprivileged(std::vector<std::string> extra,
                                       const std::string& tool) const {
  proc::Command cmd;
  cmd.argv = {"setpriv", "--inh-caps=-dac_override,-dac_read_search",
              "--bounding-set=-dac_override,-dac_read_search", tool_path(tool)};
  auto a = args(std::move(extra));
  cmd.argv.insert(cmd.argv.end(), a.begin(), a.end());
  cmd.env_set = env();
  cmd.env_set["OM_BACKUP_CONFIG"] = "/dev/null";
  cmd.timeout = std::chrono::minutes(10);
  auto r = proc::run(cmd);
  if (!r)
    throw std::runtime_error(r.error().message);
  return ToolResult{r->exit_code, r->term_signal, r->stdout_text, r->stderr_text, 0};
}

std::string SampleApp::borg(std::vector<std::string> args) const {
  proc::Command cmd;
  cmd.argv = {"borg"};
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  cmd.env_set = env();
  cmd.env_set["TZ"] = "UTC";
  cmd.timeout = std::chrono::minutes(2);
  auto r = proc::run(cmd);
  if (!r || !r->success())
    throw std::runtime_error("borg " + args.front() +
                             " failed: " + (r ? r->stderr_text : r.error().message));
  return r->stdout_text;
}

std::string SampleApp::write_script(const std::string& name, const std::string& body) const {
  auto path = dir / name;
  write_text(path, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

} // namespace om::test
