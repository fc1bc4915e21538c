#include <om/db/catalog.hpp>

#include <algorithm>

#include <cstdlib>
#include <cstring>

#include <errmsg.h>
#include <fcntl.h>
#include <mysql.h>
#include <spdlog/spdlog.h>

#include <om/db/statement.hpp>
#include <om/util/sha256.hpp>

namespace om::db {

std::string ConnectionOptions::describe() const {
  std::string where;
  if (!host.empty() && host != "localhost")
    where = host + ":" + std::to_string(port == 0 ? 3306 : port);
  else if (!socket.empty())
    where = socket;
  else if (!defaults_file.empty())
    where = "the server named in " + defaults_file;
  else
    where = "the default local socket";
  return where + (database.empty() ? "" : " (database " + database + ")");
}

struct Catalog::Impl {
  ConnectionOptions options;
  MYSQL* mysql = nullptr;
  bool in_transaction = false;

  ~Impl() { close(); }
  void close() {
    if (mysql != nullptr)
      mysql_close(mysql);
    mysql = nullptr;
  }

  Result<void> open() {
    close();
    mysql = mysql_init(nullptr);
    if (mysql == nullptr)
      return fail(ExitStatus::unavailable, "connecting to catalog: out of memory");
    if (!options.defaults_file.empty()) {
      mysql_options(mysql, MYSQL_READ_DEFAULT_FILE, options.defaults_file.c_str());
      mysql_options(mysql, MYSQL_READ_DEFAULT_GROUP, "om-backup");
    }
    // Every session: text as utf8mb4 whatever the server's default, and strict, so a value
    // that does not fit is an error rather than silently cut or turned into '?' (we shorten
    // values ourselves, with a marker: db::fitted).
    mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(mysql, MYSQL_INIT_COMMAND,
                  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
                  "NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &options.connect_timeout_s);
    if (options.read_timeout_s > 0) {
      mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &options.read_timeout_s);
      mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &options.read_timeout_s);
    }
    auto c_or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    const char* password = std::getenv("OM_DB_PASSWORD");
    if (password != nullptr && *password == '\0')
      password = nullptr;
    if (mysql_real_connect(mysql, c_or_null(options.host), c_or_null(options.user), password,
                           c_or_null(options.database), options.port, c_or_null(options.socket),
                           0) == nullptr) {
      std::string message = mysql_error(mysql);
      close();
      return fail(ExitStatus::unavailable,
                  "connecting to catalog at " + options.describe() + ": " + message);
    }
    // A child (borg, a hook) must never inherit the session: it could write into it, and an
    // orphaned one would keep its GET_LOCK alive after we died.
    if (int fd = static_cast<int>(mysql_get_socket(mysql)); fd >= 0)
      ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
    // Instants are written with FROM_UNIXTIME(?) in the session zone, like CURRENT_TIMESTAMP.
    return {};
  }

  [[nodiscard]] bool connection_lost() const {
    auto err = mysql_errno(mysql);
    return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST;
  }

  // Runs `attempt`; once, on a lost connection outside a transaction, reconnects and retries.
  template <class F> auto with_reconnect(F&& attempt) -> decltype(attempt()) {
    if (mysql == nullptr) {
      if (auto r = open(); !r)
        return std::unexpected(r.error());
    }
    auto result = attempt();
    if (result || in_transaction || mysql == nullptr || !connection_lost())
      return result;
    spdlog::warn("catalog connection lost; reconnecting once");
    if (auto r = open(); !r)
      return std::unexpected(r.error());
    return attempt();
  }
};

Catalog::Catalog(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;
Catalog::~Catalog() = default;

Result<Catalog> Catalog::connect(const ConnectionOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  OM_TRY_VOID(impl->open());
  return Catalog(std::move(impl));
}

const ConnectionOptions& Catalog::options() const {
  return m_impl->options;
}

Result<std::uint64_t> Catalog::execute(std::string_view sql, const std::vector<Value>& params) {
  return m_impl->with_reconnect([&]() -> Result<std::uint64_t> {
    OM_TRY(result, detail::run_statement(m_impl->mysql, sql, params, false));
    return result.affected_rows;
  });
}

Result<Rows> Catalog::query(std::string_view sql, const std::vector<Value>& params) {
  return m_impl->with_reconnect([&]() -> Result<Rows> {
    OM_TRY(result, detail::run_statement(m_impl->mysql, sql, params, true));
    return std::move(result.rows);
  });
}

Result<std::optional<Row>> Catalog::query_one(std::string_view sql,
                                              const std::vector<Value>& params) {
  OM_TRY(rows, query(sql, params));
  if (rows.empty())
    return std::optional<Row>{};
  return std::optional<Row>(std::move(rows.front()));
}

Result<void> Catalog::begin() {
  OM_TRY_VOID(execute("START TRANSACTION"));
  m_impl->in_transaction = true;
  return {};
}

Result<void> Catalog::commit() {
  auto r = execute("COMMIT");
  m_impl->in_transaction = false;
  if (!r)
    return std::unexpected(r.error());
  return {};
}

void Catalog::rollback() noexcept {
  if (m_impl->mysql != nullptr)
    mysql_rollback(m_impl->mysql);
  m_impl->in_transaction = false;
}

namespace {
// MySQL limits lock names to 64 characters.
std::string lock_name(std::string_view name) {
  if (name.size() <= 64)
    return std::string(name);
  return std::string(name.substr(0, 10)) + util::sha256_hex(name).substr(0, 54);
}
} // namespace

Result<bool> Catalog::get_lock(std::string_view name, int timeout_s) {
  // In slices well inside the read timeout: a long wait is many short ones.
  constexpr int k_slice_s = 20;
  int left = std::max(timeout_s, 0);
  for (;;) {
    const int wait = std::min(left, k_slice_s);
    OM_TRY(row,
           query_one("SELECT GET_LOCK(?, ?)", {lock_name(name), static_cast<std::int64_t>(wait)}));
    if (!row || row->is_null(0))
      return fail("taking catalog lock " + std::string(name) + ": server returned NULL");
    if (row->integer(0) == 1)
      return true;
    left -= wait;
    if (left <= 0)
      return false;
  }
}

Result<void> Catalog::release_lock(std::string_view name) {
  OM_TRY_VOID(query("SELECT RELEASE_LOCK(?)", {lock_name(name)}));
  return {};
}

Result<Transaction> Transaction::begin(Catalog& catalog) {
  OM_TRY_VOID(catalog.begin());
  return Transaction(catalog);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_catalog(other.m_catalog), m_open(std::exchange(other.m_open, false)) {}

Transaction::~Transaction() {
  if (m_open)
    m_catalog->rollback();
}

Result<void> Transaction::commit() {
  m_open = false;
  return m_catalog->commit();
}

} // namespace om::db
