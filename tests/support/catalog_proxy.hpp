#pragma once

#include <string>

namespace om::test {

// A Unix socket in front of the test catalog (socket_proxy.py): tools pointed at socket()
// reach the catalog until cut(), which kills the proxy at once — every connection through it
// drops and new ones are refused — while the server goes on serving the other tests.
class CatalogProxy {
public:
  CatalogProxy(const std::string& dir, const std::string& catalog_socket);
  ~CatalogProxy();
  CatalogProxy(const CatalogProxy&) = delete;
  CatalogProxy& operator=(const CatalogProxy&) = delete;

  [[nodiscard]] const std::string& socket() const { return m_socket; }
  void cut();

private:
  std::string m_socket;
  long m_pid = 0;
};

} // namespace om::test
