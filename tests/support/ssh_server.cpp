#include "support/ssh_server.hpp"

#include <csignal>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

namespace om::test {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("no free port on 127.0.0.1");
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

SshServer::SshServer(const std::string& dir, const std::string& repo, bool append_only)
    : m_dir(dir), m_repo(repo), m_key(dir + "/client_ed25519"), m_known_hosts(dir + "/known_hosts"),
      m_user(util::login_name()), m_port(free_port()) {
  const std::string serve = std::string("borg serve ") + (append_only ? "--append-only " : "") +
                            "--restrict-to-repository " + repo;
  configure("command=\"" + serve + "\",environment=\"BORG_BASE_DIR=" + dir + "/server-borg\",",
            "forced-commands-only", "");
  start();
}

SshServer::SshServer(const std::string& dir, const std::string& repo, const OnHost& host)
    : m_dir(dir), m_repo(repo), m_key(dir + "/client_ed25519"), m_known_hosts(dir + "/known_hosts"),
      m_user(util::login_name()), m_netns(host.netns), m_address(host.address), m_port(22) {
  configure("command=\"borg serve --restrict-to-repository " + repo +
                "\",environment=\"BORG_BASE_DIR=" + dir + "/server-borg\",",
            "forced-commands-only", "ClientAliveInterval 5\nClientAliveCountMax 3\n");
  start();
}

SshServer::SshServer(const std::string& dir, SftpOnly)
    : m_dir(dir), m_repo(dir + "/no-repository"), m_key(dir + "/client_ed25519"),
      m_known_hosts(dir + "/known_hosts"), m_user(util::login_name()), m_port(free_port()) {
  configure("", "prohibit-password", "Subsystem sftp internal-sftp\nForceCommand internal-sftp\n");
  start();
}

void SshServer::configure(const std::string& forced, const std::string& root_login,
                          const std::string& extra_config) {
  const auto q = [](const std::string& s) { return util::shell_quote(s); };
  (void)shell("mkdir -p " + q(m_dir) + " /run/sshd && ssh-keygen -q -t ed25519 -N '' -f " +
              q(m_dir + "/host_ed25519") + " && ssh-keygen -q -t ed25519 -N '' -f " + q(m_key));
  write_text(m_dir + "/authorized_keys", forced + "restrict " + read_text(m_key + ".pub"));
  const auto host_key = read_text(m_dir + "/host_ed25519.pub");
  write_text(m_known_hosts, "[" + m_address + "]:" + std::to_string(m_port) + " " + host_key +
                                m_address + " " + host_key);
  write_text(m_dir + "/sshd_config", "Port " + std::to_string(m_port) + "\nListenAddress " +
                                         m_address +
                                         "\n"
                                         "HostKey " +
                                         m_dir +
                                         "/host_ed25519\n"
                                         "PidFile " +
                                         m_dir +
                                         "/sshd.pid\n"
                                         "AuthorizedKeysFile " +
                                         m_dir +
                                         "/authorized_keys\n"
                                         "AllowUsers " +
                                         m_user +
                                         "\n"
                                         "PermitRootLogin " +
                                         root_login +
                                         "\n"
                                         "PermitUserEnvironment yes\n"
                                         "StrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                                         "KbdInteractiveAuthentication no\nPrintMotd no\n" +
                                         extra_config);
}

SshServer::~SshServer() {
  try {
    stop();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

std::string SshServer::url() const {
  return "ssh://" + m_user + "@" + m_address + ":" + std::to_string(m_port) + m_repo;
}

std::string SshServer::in_netns() const {
  return m_netns.empty() ? std::string() : "ip netns exec " + util::shell_quote(m_netns) + " ";
}

bool SshServer::listening() const {
  if (m_netns.empty())
    return accepts(m_port);
  try {
    (void)shell(in_netns() + "bash -c " +
                util::shell_quote("exec 3<>/dev/tcp/" + m_address + "/" + std::to_string(m_port)));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void SshServer::start() {
  // Without -D sshd becomes a daemon once it listens; its pid is in sshd.pid.
  (void)shell(in_netns() + "/usr/sbin/sshd -f " + util::shell_quote(m_dir + "/sshd_config") +
              " -E " + util::shell_quote(m_dir + "/sshd.log"));
  if (!eventually([&] { return listening(); }))
    throw std::runtime_error("sshd did not start; see " + m_dir + "/sshd.log");
  m_running = true;
}

void SshServer::stop() {
  if (!m_running)
    return;
  (void)shell("kill -TERM \"$(cat " + util::shell_quote(m_dir + "/sshd.pid") + ")\"");
  (void)eventually([&] { return !listening(); });
  // Sessions outlive the listener; none may stay behind the test.
  (void)shell("pkill -KILL -f " + util::shell_quote("[r]estrict-to-repository " + m_repo) +
              " || true");
  m_running = false;
}

void SshServer::kill_now() {
  const auto pid = "\"$(cat " + util::shell_quote(m_dir + "/sshd.pid") + ")\"";
  (void)shell("pkill -KILL -P " + pid + "; kill -KILL " + pid + "; pkill -KILL -f " +
              util::shell_quote("[r]estrict-to-repository " + m_repo) + " || true");
  (void)eventually([&] { return !listening(); });
  m_running = false;
}

} // namespace om::test
