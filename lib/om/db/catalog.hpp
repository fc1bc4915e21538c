#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/db/value.hpp>
#include <om/util/error.hpp>

namespace om::db {

// Where the catalog is and who we are there. The password comes only from the defaults file
// (groups [client] and [om-backup]) or $OM_DB_PASSWORD, never from the command line.
struct ConnectionOptions {
  std::string defaults_file;
  std::string host;
  unsigned port = 0;
  std::string socket;
  std::string user;
  std::string database;
  unsigned connect_timeout_s = 10;
  // A server that stops answering (its network gone) is an error after this long with no
  // byte, not a hang until TCP gives up; 0: wait for ever (a migration rebuilding a big table).
  unsigned read_timeout_s = k_default_read_timeout_s;

  static constexpr unsigned k_default_read_timeout_s = 60;

  // "localhost via /run/mysqld/mysqld.sock" or "db.example:3306", for error messages.
  [[nodiscard]] std::string describe() const;
};

// A connection to the catalog database (the MySQL/MariaDB that holds backup_jobs).
// Values always go through prepared statements; SQL text is never built from values.
// A lost connection is re-established once, outside a transaction.
class Catalog {
public:
  [[nodiscard]] static Result<Catalog> connect(const ConnectionOptions& options);

  Catalog(Catalog&& other) noexcept;
  Catalog& operator=(Catalog&& other) noexcept;
  ~Catalog();

  // Runs a statement; returns the number of affected rows.
  [[nodiscard]] Result<std::uint64_t> execute(std::string_view sql,
                                              const std::vector<Value>& params = {});
  [[nodiscard]] Result<Rows> query(std::string_view sql, const std::vector<Value>& params = {});
  // The first row, or nullopt when there is none.
  [[nodiscard]] Result<std::optional<Row>> query_one(std::string_view sql,
                                                     const std::vector<Value>& params = {});

  [[nodiscard]] Result<void> begin();
  [[nodiscard]] Result<void> commit();
  void rollback() noexcept;

  // MySQL named lock (GET_LOCK), shared by every host that uses this catalog. Names longer
  // than the server allows are hashed. Returns false when another session holds it.
  [[nodiscard]] Result<bool> get_lock(std::string_view name, int timeout_s = 0);
  [[nodiscard]] Result<void> release_lock(std::string_view name);

  [[nodiscard]] const ConnectionOptions& options() const;

private:
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Rolls back unless committed: every multi-statement write goes through one.
class Transaction {
public:
  [[nodiscard]] static Result<Transaction> begin(Catalog& catalog);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  [[nodiscard]] Result<void> commit();

private:
  explicit Transaction(Catalog& catalog) : m_catalog(&catalog) {}
  Catalog* m_catalog;
  bool m_open = true;
};

} // namespace om::db
