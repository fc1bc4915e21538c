#include "support/offsite.hpp"

#include <sys/stat.h>

#include <om/util/strings.hpp>

namespace om::test {

Offsite::Offsite(SampleApp& sample, const std::string& extra_config, bool append_only)
    : app(sample), ssh(sample.dir / "ssh", sample.dir / "offsite-repo", append_only),
      passphrase_file(sample.dir / "offsite.pass"), config(sample.dir / "om-backup.conf") {
  write_text(passphrase_file, "offsite secret\n");
  ::chmod(passphrase_file.c_str(), 0600);
  write_text(config, "[target.offsite]\nrepo = " + ssh.url() +
                         "\npassphrase-file = " + passphrase_file + "\nssh-key = " + ssh.key() +
                         "\nknown-hosts = " + ssh.known_hosts() + "\n" + extra_config);
}

ToolResult Offsite::run(std::vector<std::string> extra) const {
  extra.insert(extra.begin(), {"--config", config});
  return app.run(extra);
}

ToolResult Offsite::tool(const std::string& name, std::vector<std::string> args) const {
  args.insert(args.begin(), {"--config", config});
  return run_tool(name, app.args(args), app.env());
}

ToolResult Offsite::report(const std::vector<std::string>& args) const {
  auto all = app.db.tool_args();
  all.insert(all.end(), {"--config", config, "--repo", app.repo});
  all.insert(all.end(), args.begin(), args.end());
  return run_tool("om-backup-report", all, app.env());
}

std::string Offsite::borg(const std::string& args) const {
  return shell("BORG_PASSPHRASE='offsite secret' BORG_BASE_DIR=" +
               util::shell_quote(app.dir / "borg-home") + " BORG_RSH=" +
               util::shell_quote("ssh -o BatchMode=yes -i " + ssh.key() +
                                 " -o UserKnownHostsFile=" + ssh.known_hosts()) +
               " borg " + args);
}

std::vector<std::string> Offsite::archives() const {
  return lines_of(borg("list --short --consider-checkpoints " + ssh.url()));
}

} // namespace om::test
