#include "support/network.hpp"

#include <algorithm>
#include <stdexcept>

#include <unistd.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/tool_runner.hpp"

namespace om::test {
namespace {

constexpr const char* k_subnet = "10.231.0.";

} // namespace

std::string TestNetwork::unsupported_reason() {
  if (::geteuid() != 0)
    return "network namespaces need root";
  const auto probe = "omprobe" + std::to_string(::getpid());
  try {
    (void)shell("ip netns add " + probe + " && ip netns exec " + probe +
                " unshare --uts true; rc=$?; ip netns del " + probe + "; exit $rc");
  } catch (const std::exception& e) {
    return std::string("cannot make a network namespace here: ") + e.what();
  }
  return "";
}

TestNetwork::TestNetwork()
    : m_prefix("om" + std::to_string(::getpid())), m_switch(m_prefix + "-switch") {
  // What a test killed before its destructor ran (a ctest timeout) left behind: its processes
  // and namespaces, named after a pid that is gone.
  (void)shell("for ns in $(ip netns list | sed -n 's/^\\(om[0-9][0-9]*-[a-z0-9]*\\).*/\\1/p'); do "
              "pid=${ns#om}; pid=${pid%%-*}; kill -0 \"$pid\" 2>/dev/null && continue; "
              "p=$(ip netns pids \"$ns\"); [ -n \"$p\" ] && kill -KILL $p; ip netns del \"$ns\"; "
              "done; true");
  (void)shell("ip netns add " + q(m_switch) + " && ip -n " + q(m_switch) +
              " link add br0 type bridge && ip -n " + q(m_switch) + " link set br0 up");
}

TestNetwork::~TestNetwork() {
  for (const auto& [host, address] : m_addresses) {
    try {
      kill_host(host);
      (void)shell("ip netns del " + q(netns(host)));
    } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
    }
  }
  try {
    (void)shell("ip netns del " + q(m_switch));
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

std::string TestNetwork::add_host(const std::string& name) {
  const auto ns = netns(name);
  const auto address = k_subnet + std::to_string(m_addresses.size() + 2);
  const auto port = "p" + std::to_string(m_addresses.size() + 2); // the switch's side
  m_addresses[name] = address;
  (void)shell("ip netns add " + q(ns) + " && ip -n " + q(m_switch) + " link add " + port +
              " type veth peer name eth0 netns " + q(ns) + " && ip -n " + q(m_switch) +
              " link set " + port + " master br0 up && ip -n " + q(ns) + " addr add " + address +
              "/24 dev eth0 && ip -n " + q(ns) + " link set eth0 up && ip -n " + q(ns) +
              " link set lo up");
  return address;
}

const std::string& TestNetwork::address(const std::string& host) const {
  auto it = m_addresses.find(host);
  if (it == m_addresses.end())
    throw std::runtime_error("no host " + host + " in the test network");
  return it->second;
}

std::string TestNetwork::netns(const std::string& host) const {
  return m_prefix + "-" + host;
}

std::vector<std::string> TestNetwork::on(const std::string& host) const {
  return {"ip",        "netns",   "exec",
          netns(host), "unshare", "--uts",
          "sh",        "-c",      "hostname \"$0\" && exec \"$@\"",
          host};
}

void TestNetwork::set_link(const std::string& host, bool up) {
  (void)shell("ip -n " + q(netns(host)) + " link set eth0 " + (up ? "up" : "down"));
}

bool TestNetwork::runs(const std::string& host, const std::string& needle) const {
  const auto pids = shell("ip netns pids " + q(netns(host)));
  for (auto pid : util::split(pids, '\n')) {
    if (pid.empty())
      continue;
    // A process that ends while it is read fails the read (ESRCH): it runs nothing any more.
    auto read = util::read_file("/proc/" + std::string(pid) + "/cmdline");
    if (!read)
      continue;
    auto cmdline = std::move(*read);
    std::ranges::replace(cmdline, '\0', ' ');
    if (cmdline.find(needle) != std::string::npos)
      return true;
  }
  return false;
}

void TestNetwork::kill_host(const std::string& host) {
  // Until nothing is left: a process may fork while the first ones die.
  (void)shell("for i in 1 2 3 4 5; do p=$(ip netns pids " + q(netns(host)) +
              "); [ -z \"$p\" ] && exit 0; kill -KILL $p 2>/dev/null; sleep 0.1; done");
}

} // namespace om::test
