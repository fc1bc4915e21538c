#pragma once

#include <string>

#include "support/ssh_server.hpp"

namespace om::test {

// Two rclone destinations on 127.0.0.1 for one test, named in its own rclone.conf: `sftp`, a
// real OpenSSH server (internal-sftp, key login, host key checked), and `dav`, `rclone serve
// webdav` with a user and password (read-only when asked). Both are stopped by the destructor.
class Cloud {
public:
  explicit Cloud(const std::string& dir, bool webdav_read_only = false);
  ~Cloud();
  Cloud(const Cloud&) = delete;
  Cloud& operator=(const Cloud&) = delete;

  // REMOTE:PATH of a folder on each server; `local_*` is where its files really are.
  [[nodiscard]] std::string sftp(const std::string& name) const {
    return "sftp:" + local_sftp(name);
  }
  [[nodiscard]] std::string dav(const std::string& name) const { return "dav:" + name; }
  [[nodiscard]] std::string local_sftp(const std::string& name) const {
    return m_dir + "/sftp/" + name;
  }
  [[nodiscard]] std::string local_dav(const std::string& name) const {
    return m_dir + "/dav/" + name;
  }

  // What is in a destination folder: "size path" per file, sorted (lock files and all).
  [[nodiscard]] static std::string listing(const std::string& folder);

  [[nodiscard]] const std::string& conf() const { return m_conf; }
  static constexpr const char* k_dav_password = "webdav-s3cr3t-9f81";

  SshServer ssh;

private:
  std::string m_dir;
  std::string m_conf;
  int m_dav_port = 0;
  std::string m_dav_pid;
};

} // namespace om::test
