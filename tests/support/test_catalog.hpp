#pragma once

#include <memory>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>

#include "support/temp_dir.hpp"

namespace om::test {

// A database of its own on the private MariaDB that scripts/test starts
// ($OM_TEST_DB_SOCKET), dropped when the test ends.
class TestCatalog {
public:
  TestCatalog();
  ~TestCatalog();
  TestCatalog(const TestCatalog&) = delete;
  TestCatalog& operator=(const TestCatalog&) = delete;

  [[nodiscard]] const std::string& name() const { return m_name; }
  [[nodiscard]] db::ConnectionOptions options() const;
  // A connection for the test's own queries.
  [[nodiscard]] db::Catalog& sql() { return *m_catalog; }
  // The catalog arguments a tool needs.
  [[nodiscard]] std::vector<std::string> tool_args() const;
  // Runs one statement; fails the test on error.
  void exec(const std::string& statement);
  [[nodiscard]] std::int64_t count(const std::string& query);
  [[nodiscard]] std::string scalar(const std::string& query);

private:
  std::string m_socket;
  std::string m_name;
  std::unique_ptr<db::Catalog> m_catalog;
};

// The socket of the test server; the test fails if scripts/test did not start one.
[[nodiscard]] std::string test_db_socket();

} // namespace om::test
