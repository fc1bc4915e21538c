#pragma once

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <om/db/catalog.hpp>

#include "support/network.hpp"
#include "support/ssh_server.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

namespace om::test {

// MariaDB on a test network's host, listening on that host's address (TCP, not a socket), with
// a catalog database and a user allowed from the network. The test reads it as root through the
// server's socket. Dead clients are dropped after about half a minute (TCP keepalive), as
// README asks of a shared catalog server. Stopped by the destructor.
class NetworkCatalog {
public:
  NetworkCatalog(const TestNetwork& net, const std::string& host, const std::string& dir);
  ~NetworkCatalog();
  NetworkCatalog(const NetworkCatalog&) = delete;
  NetworkCatalog& operator=(const NetworkCatalog&) = delete;

  static constexpr const char* k_database = "om_catalog";
  static constexpr const char* k_user = "om";
  static constexpr const char* k_password = "catalog-pw-5d02e1";

  [[nodiscard]] const std::string& address() const { return m_address; }
  // One value of a query the test runs as root; "" for NULL. Throws on error or no row.
  [[nodiscard]] std::string scalar(const std::string& query) const;
  [[nodiscard]] std::int64_t count(const std::string& query) const;

private:
  std::string m_dir;
  std::string m_address;
  std::string m_socket;
  std::unique_ptr<db::Catalog> m_sql; // root, for the test's own queries
};

// The bed of the several-servers tests: hosts `web1` and `web2` (each its own hostname,
// application tree, state, log and borg folders, and config file), `db` (the shared catalog)
// and `repo` (OpenSSH with `borg serve`, one repository both web hosts back up to as target
// `central`), on one private network. The repository is initialised by web1 and the catalog
// migrated by it, as an admin would.
class MultiHost {
public:
  // `target_config`: extra lines of the [target.central] section (lock-wait, ...).
  explicit MultiHost(const std::string& target_config = "");
  ~MultiHost();
  MultiHost(const MultiHost&) = delete;
  MultiHost& operator=(const MultiHost&) = delete;

  struct Host {
    std::string name;
    std::string dir;
    std::string prod;
    std::string logs;
    std::string state;
    std::string config;
  };
  [[nodiscard]] const Host& host(const std::string& name) const;

  // A tool run on a host with its config file (and nothing from this machine's).
  [[nodiscard]] ToolResult tool(const std::string& host, const std::string& tool,
                                std::vector<std::string> args) const;
  // om-backup-run on a host, held in the middle of its database dump until release(host).
  [[nodiscard]] std::thread start_held_run(const std::string& host, ToolResult& result,
                                           std::vector<std::string> extra = {}) const;
  void release(const std::string& host) const;
  // Whether the host's om-backup-run is held in its dump (the stand-in wrote its pid).
  [[nodiscard]] bool held(const std::string& host) const;
  // borg against the shared repository from this machine (read-only uses: list, info).
  [[nodiscard]] std::string borg(const std::string& args) const;
  // The repository's archive names, oldest first.
  [[nodiscard]] std::vector<std::string> archives() const;

  TempDir dir;
  TestNetwork net;
  std::unique_ptr<NetworkCatalog> db;
  std::unique_ptr<SshServer> repo_server;
  std::string repo_path;
  std::string repo_url;

private:
  void add_web_host(const std::string& name, const std::string& target_config);
  [[nodiscard]] std::map<std::string, std::string> env(const Host& h) const;
  std::map<std::string, Host> m_hosts;
  std::string m_passphrase_file;
};

} // namespace om::test
