#pragma once

#include <string>

namespace om::test {

// A real OpenSSH server for one test: sshd on 127.0.0.1 at a free port, its own host key, and
// one client key whose authorized_keys line forces `borg serve --restrict-to-repository REPO`
// (with --append-only unless asked otherwise), for the user running the tests. Stopped by the
// destructor; the test can stop it early or kill it mid-transfer.
class SshServer {
public:
  SshServer(const std::string& dir, const std::string& repo, bool append_only = true);
  // The same server for file transfers instead: the key may only use SFTP (internal-sftp),
  // anywhere in the file system (rclone's `sftp` backend).
  struct SftpOnly {};
  SshServer(const std::string& dir, SftpOnly);
  // The repository server of a test network: sshd inside network namespace `netns`, on
  // ADDRESS:22, dropping clients that stop answering (ClientAliveInterval) as README asks of a
  // repository server; not append-only (each host prunes its own archives).
  struct OnHost {
    std::string netns;
    std::string address;
  };
  SshServer(const std::string& dir, const std::string& repo, const OnHost& host);
  ~SshServer();
  SshServer(const SshServer&) = delete;
  SshServer& operator=(const SshServer&) = delete;

  // ssh://USER@ADDRESS:PORT/REPO
  [[nodiscard]] std::string url() const;
  [[nodiscard]] const std::string& key() const { return m_key; }
  [[nodiscard]] const std::string& known_hosts() const { return m_known_hosts; }
  [[nodiscard]] int port() const { return m_port; }

  void start();
  // SIGTERM to sshd; waits until its port is closed.
  void stop();
  // SIGKILL to sshd, its sessions and every borg serve of this repository: the far end dies
  // mid-transfer.
  void kill_now();

private:
  void configure(const std::string& forced, const std::string& root_login,
                 const std::string& extra_config);
  [[nodiscard]] bool listening() const;
  [[nodiscard]] std::string in_netns() const; // "ip netns exec NS " or ""
  std::string m_dir;
  std::string m_repo;
  std::string m_key;
  std::string m_known_hosts;
  std::string m_user;
  std::string m_netns; // empty: this machine's own network
  std::string m_address = "127.0.0.1";
  int m_port = 0;
  bool m_running = false;
};

// A port nothing listens on now, and whether something accepts connections on one (127.0.0.1).
[[nodiscard]] int free_port();
[[nodiscard]] bool accepts(int port);

} // namespace om::test
