#include "support/catalog_proxy.hpp"

#include <csignal>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include <om/util/files.hpp>

#include "support/held_run.hpp"

namespace om::test {

CatalogProxy::CatalogProxy(const std::string& dir, const std::string& catalog_socket)
    : m_socket(dir + "/catalog-proxy.sock") {
  const std::string script = std::string(OM_SOURCE_DIR) + "/tests/support/socket_proxy.py";
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::execl("/usr/bin/python3", "python3", script.c_str(), m_socket.c_str(), catalog_socket.c_str(),
            nullptr);
    ::_exit(127);
  }
  m_pid = pid;
  if (!eventually([&] { return util::path_exists(m_socket); }))
    throw std::runtime_error("the catalog proxy did not start");
}

CatalogProxy::~CatalogProxy() {
  cut();
}

void CatalogProxy::cut() {
  if (m_pid == 0)
    return;
  ::kill(static_cast<pid_t>(m_pid), SIGKILL);
  int status = 0;
  ::waitpid(static_cast<pid_t>(m_pid), &status, 0);
  m_pid = 0;
}

} // namespace om::test
