#include <om/db/client_credentials.hpp>

#include <cstdlib>
#include <filesystem>
#include <utility>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::db {

Result<ClientCredentials> read_defaults_file(const std::string& path) {
  auto text = util::read_file(path);
  if (!text)
    return fail(ExitStatus::config, "reading database defaults file: " + text.error().message);
  ClientCredentials c;
  bool in_group = false;
  for (auto raw : util::split(*text, '\n')) {
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
    std::string value =
        eq == std::string_view::npos ? "" : std::string(util::trim(line.substr(eq + 1)));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (key == "host")
      c.host = value;
    else if (key == "port")
      c.port = static_cast<unsigned>(util::parse_int(value).value_or(0));
    else if (key == "socket")
      c.socket = value;
    else if (key == "user")
      c.user = value;
    else if (key == "password")
      c.password = value;
    else if (key == "database")
      c.database = value;
  }
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
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/om-backup.XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr)
    return fail("creating a private folder for database credentials in " + dir);
  ChildDefaultsFile file(dir);
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
  OM_TRY_VOID(util::write_file_atomic(dir + "/my.cnf", text, 0600));
  return file;
}

ChildDefaultsFile::ChildDefaultsFile(ChildDefaultsFile&& other) noexcept
    : m_dir(std::exchange(other.m_dir, {})) {}

ChildDefaultsFile::~ChildDefaultsFile() {
  if (m_dir.empty())
    return;
  std::error_code ec;
  std::filesystem::remove_all(m_dir, ec);
}

} // namespace om::db
