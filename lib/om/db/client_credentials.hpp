#pragma once

#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/fd.hpp>

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
// A port that is not 0-65535 is a configuration error (exit 78).
[[nodiscard]] Result<ClientCredentials> read_defaults_file(const std::string& path);
// The same, from the file's text.
[[nodiscard]] Result<ClientCredentials> parse_defaults(std::string_view text);

// The credentials `options` describe: the defaults file, overridden by explicit options, the
// password from $OM_DB_PASSWORD when set.
[[nodiscard]] Result<ClientCredentials> resolve_credentials(const ConnectionOptions& options);

// mysqldump's options for a consistent dump of one database without locking the application:
// one transaction, rows streamed, routines, triggers and events, binary columns as hex.
[[nodiscard]] std::vector<std::string> mysqldump_options();

// A private [client] defaults file for one child process that never touches a disk: an
// anonymous memory file (memfd, mode 0600) handed to the child as its fd 3, gone with the
// last descriptor, so not even kill -9 leaves the password behind. The password reaches the
// child through it, never argv.
class ChildDefaultsFile {
public:
  [[nodiscard]] static Result<ChildDefaultsFile> create(const ClientCredentials& credentials);
  // "--defaults-file=/dev/fd/3": must be the child's first argument.
  [[nodiscard]] static std::string argument();
  // For proc::Command::inherit_fd.
  [[nodiscard]] int fd() const { return m_fd.get(); }

private:
  explicit ChildDefaultsFile(util::Fd fd) : m_fd(std::move(fd)) {}
  util::Fd m_fd;
};

} // namespace om::db
