#include "support/cloud.hpp"

#include <stdexcept>

#include <om/util/host.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

namespace om::test {

Cloud::Cloud(const std::string& dir, bool webdav_read_only)
    : ssh(dir + "/sshd", SshServer::SftpOnly{}), m_dir(dir), m_conf(dir + "/rclone.conf"),
      m_dav_port(free_port()) {
  const auto q = [](const std::string& s) { return util::shell_quote(s); };
  (void)shell("mkdir -p " + q(dir + "/sftp") + " " + q(dir + "/dav"));
  // The server is the test's: its password on its command line is no secret of ours.
  m_dav_pid = std::string(util::trim(
      shell("setsid rclone serve webdav " + q(dir + "/dav") +
            " --addr 127.0.0.1:" + std::to_string(m_dav_port) + " --user om --pass " +
            k_dav_password + (webdav_read_only ? " --read-only" : "") +
            // What a test writes into the folder itself is seen at once, as on a real server.
            " --dir-cache-time 0s --config /dev/null >" + q(dir + "/dav.log") +
            " 2>&1 </dev/null & echo $!")));
  if (!eventually([&] { return accepts(m_dav_port); }))
    throw std::runtime_error("rclone serve webdav did not start; see " + dir + "/dav.log");
  const std::string obscured(util::trim(shell(std::string("rclone obscure ") + k_dav_password)));
  write_text(m_conf, "[sftp]\ntype = sftp\nhost = 127.0.0.1\nport = " + std::to_string(ssh.port()) +
                         "\nuser = " + util::login_name() + "\nkey_file = " + ssh.key() +
                         "\nknown_hosts_file = " + ssh.known_hosts() +
                         "\nshell_type = none\nmd5sum_command = none\nsha1sum_command = none\n\n"
                         "[dav]\ntype = webdav\nurl = http://127.0.0.1:" +
                         std::to_string(m_dav_port) +
                         "/\nvendor = other\nuser = om\npass = " + std::string(obscured) + "\n");
}

Cloud::~Cloud() {
  try {
    (void)shell("kill -TERM " + m_dav_pid + " 2>/dev/null || true");
    (void)eventually([&] { return !accepts(m_dav_port); });
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

std::string Cloud::listing(const std::string& folder) {
  return shell("cd " + util::shell_quote(folder) +
               " 2>/dev/null && find . -type f -printf '%s %P\\n' | LC_ALL=C sort || true");
}

} // namespace om::test
