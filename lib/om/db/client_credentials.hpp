#pragma once

#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::db {

// What a MySQL client program (mysqldump, mariadb) needs to connect.
struct ClientCredentials {
  std::string host;
  unsigned port = 0;
  std::string socket;
  std::string user;
  std::string password;
  std::string database;
};

// Reads a my.cnf-style file: groups [client] then [om-backup] (later keys win). Only the
// connection keys are taken; others are ignored, as MySQL clients do for groups not theirs.
[[nodiscard]] Result<ClientCredentials> read_defaults_file(const std::string& path);

// The credentials `options` describe: the defaults file, overridden by explicit options, the
// password from $OM_DB_PASSWORD when set.
[[nodiscard]] Result<ClientCredentials> resolve_credentials(const ConnectionOptions& options);

// mysqldump's options for a consistent dump of one database without locking the application:
// one transaction, rows streamed, routines, triggers and events, binary columns as hex.
[[nodiscard]] std::vector<std::string> mysqldump_options();

// A private [client] defaults file for one child process (mode 0600 in a 0700 folder),
// removed when this object goes. The password reaches the child through it, never argv.
class ChildDefaultsFile {
public:
  [[nodiscard]] static Result<ChildDefaultsFile> create(const ClientCredentials& credentials);
  ChildDefaultsFile(ChildDefaultsFile&& other) noexcept;
  ChildDefaultsFile& operator=(ChildDefaultsFile&&) = delete;
  ChildDefaultsFile(const ChildDefaultsFile&) = delete;
  ~ChildDefaultsFile();
  // "--defaults-file=<path>": must be the child's first argument.
  [[nodiscard]] std::string argument() const { return "--defaults-file=" + m_dir + "/my.cnf"; }

private:
  explicit ChildDefaultsFile(std::string dir) : m_dir(std::move(dir)) {}
  std::string m_dir;
};

} // namespace om::db
