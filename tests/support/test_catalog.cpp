#include "support/test_catalog.hpp"

#include <cstdlib>
#include <stdexcept>

#include <om/util/uuid.hpp>

namespace om::test {

std::string test_db_socket() {
  const char* s = std::getenv("OM_TEST_DB_SOCKET");
  if (s == nullptr || *s == '\0')
    throw std::runtime_error("OM_TEST_DB_SOCKET is not set: run the tests through scripts/test");
  return s;
}

TestCatalog::TestCatalog() : m_socket(test_db_socket()) {
  m_name = "om_test_" + util::uuid_v4().substr(0, 8);
  db::ConnectionOptions root;
  root.socket = m_socket;
  root.user = "root";
  auto admin = db::Catalog::connect(root);
  if (!admin)
    throw std::runtime_error(admin.error().message);
  // latin1, the narrowest a production database can have (a bare MariaDB 10.11's default;
  // 11.8's is utf8mb4), so every test sees om-backup widen its tables, on every release.
  if (auto r = admin->execute("CREATE DATABASE " + m_name + " CHARACTER SET latin1"); !r)
    throw std::runtime_error(r.error().message);
  auto c = db::Catalog::connect(options());
  if (!c)
    throw std::runtime_error(c.error().message);
  m_catalog = std::make_unique<db::Catalog>(std::move(*c));
}

TestCatalog::~TestCatalog() {
  m_catalog.reset();
  db::ConnectionOptions root;
  root.socket = m_socket;
  root.user = "root";
  if (auto admin = db::Catalog::connect(root))
    (void)admin->execute("DROP DATABASE IF EXISTS " + m_name);
}

db::ConnectionOptions TestCatalog::options() const {
  db::ConnectionOptions o;
  o.socket = m_socket;
  o.user = "root";
  o.database = m_name;
  return o;
}

std::vector<std::string> TestCatalog::tool_args() const {
  return {"--db-socket=" + m_socket, "--db-user=root", "--db-name=" + m_name};
}

void TestCatalog::exec(const std::string& statement) {
  auto r = m_catalog->execute(statement);
  if (!r)
    throw std::runtime_error(statement + ": " + r.error().message);
}

std::string TestCatalog::scalar(const std::string& query) {
  auto r = m_catalog->query_one(query);
  if (!r)
    throw std::runtime_error(query + ": " + r.error().message);
  if (!*r)
    throw std::runtime_error(query + ": no row");
  return (*r)->text(0);
}

std::int64_t TestCatalog::count(const std::string& query) {
  return std::stoll(scalar(query));
}

} // namespace om::test
