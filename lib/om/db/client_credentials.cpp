#include <om/db/client_credentials.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/util/fd.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::db {

Result<ClientCredentials> parse_defaults(std::string_view text) {
  ClientCredentials c;
  bool in_group = false;
  for (auto raw : util::split(text, '\n')) {
    auto line = util::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';')
      continue;
    if (line.front() == '[') {
      auto group = util::to_lower(util::trim(line.substr(1, line.find(']') - 1)));
      in_group = group == "client" || group == "om-backup";
      continue;
    }
    if (!in_group)
      continue;
    auto eq = line.find('=');
    auto key = util::to_lower(util::trim(line.substr(0, eq)));
    std::string value = eq == std::string_view::npos
                            ? ""
                            : std::string(util::unquote(util::trim(line.substr(eq + 1))));
    if (key == "host") {
      c.host = value;
    } else if (key == "port") {
      auto port = value.empty() ? std::optional<std::int64_t>(0) : util::parse_int(value);
      if (!port || *port < 0 || *port > 65535)
        return fail(ExitStatus::config, "port '" + value + "' is not a port number (0-65535)");
      c.port = static_cast<unsigned>(*port);
    } else if (key == "socket") {
      c.socket = value;
    } else if (key == "user") {
      c.user = value;
    } else if (key == "password") {
      c.password = value;
    } else if (key == "database") {
      c.database = value;
    }
  }
  return c;
}

Result<ClientCredentials> read_defaults_file(const std::string& path) {
  auto text = util::read_file(path);
  if (!text)
    return fail(ExitStatus::config, "reading database defaults file: " + text.error().message);
  auto c = parse_defaults(*text);
  if (!c)
    return std::unexpected(c.error().context("database defaults file " + path));
  return c;
}

Result<ClientCredentials> resolve_credentials(const ConnectionOptions& options) {
  ClientCredentials c;
  if (!options.defaults_file.empty()) {
    OM_TRY(from_file, read_defaults_file(options.defaults_file));
    c = from_file;
  }
  if (!options.host.empty())
    c.host = options.host;
  if (options.port != 0)
    c.port = options.port;
  if (!options.socket.empty())
    c.socket = options.socket;
  if (!options.user.empty())
    c.user = options.user;
  if (!options.database.empty())
    c.database = options.database;
  if (const char* pw = std::getenv("OM_DB_PASSWORD"); pw != nullptr && *pw != '\0')
    c.password = pw;
  return c;
}

std::vector<std::string> mysqldump_options() {
  return {"--single-transaction", "--quick", "--routines", "--triggers", "--events", "--hex-blob"};
}

Result<ChildDefaultsFile> ChildDefaultsFile::create(const ClientCredentials& c) {
  util::Fd fd(::memfd_create("om-backup-client.cnf", MFD_CLOEXEC));
  // MySQL clients ignore a world-writable option file; a new memfd is 0777.
  if (!fd || ::fchmod(fd.get(), 0600) != 0)
    return fail(std::string("creating private database credentials for a child: ") +
                std::strerror(errno));
  std::string text = "[client]\n";
  auto quoted = [](const std::string& v) {
    std::string out = "\"";
    for (char ch : v) {
      if (ch == '"' || ch == '\\')
        out += '\\';
      out += ch;
    }
    return out + "\"";
  };
  if (!c.host.empty())
    text += "host=" + c.host + "\n";
  if (c.port != 0)
    text += "port=" + std::to_string(c.port) + "\n";
  if (!c.socket.empty())
    text += "socket=" + c.socket + "\n";
  if (!c.user.empty())
    text += "user=" + c.user + "\n";
  if (!c.password.empty())
    text += "password=" + quoted(c.password) + "\n";
  if (!util::write_all(fd.get(), text))
    return fail(std::string("writing private database credentials: ") + std::strerror(errno));
  return ChildDefaultsFile(std::move(fd));
}

std::string ChildDefaultsFile::argument() {
  return "--defaults-file=/dev/fd/3";
}

} // namespace om::db
