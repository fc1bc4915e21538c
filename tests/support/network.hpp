#pragma once

#include <map>
#include <string>
#include <vector>

namespace om::test {

// A private network of test hosts on this machine: one Linux network namespace per host, each
// joined by a veth pair to a bridge that lives in a namespace of its own (the "switch"), with
// addresses in 10.231.0.0/24 inside those namespaces only. Nothing is added to this machine's
// own network. The destructor kills every process left in the hosts and removes the
// namespaces, also when the test failed.
class TestNetwork {
public:
  TestNetwork();
  ~TestNetwork();
  TestNetwork(const TestNetwork&) = delete;
  TestNetwork& operator=(const TestNetwork&) = delete;

  // Why this machine cannot make one (no root, no namespaces, no iproute2), or "" when it can.
  [[nodiscard]] static std::string unsupported_reason();

  // A new host, with its address (10.231.0.N); loopback and its link are up.
  std::string add_host(const std::string& name);
  [[nodiscard]] const std::string& address(const std::string& host) const;
  [[nodiscard]] std::string netns(const std::string& host) const;
  // The argv prefix that runs a command on `host`: in its network namespace and a UTS namespace
  // of its own whose hostname is the host's name (as util::host_name() then reads it).
  [[nodiscard]] std::vector<std::string> on(const std::string& host) const;
  // The host's cable pulled out, or plugged back in.
  void set_link(const std::string& host, bool up);
  // Whether a process whose command line (arguments joined by spaces) contains `needle` runs on
  // the host.
  [[nodiscard]] bool runs(const std::string& host, const std::string& needle) const;
  // Every process of the host killed with SIGKILL at once: the machine lost its power.
  void kill_host(const std::string& host);

private:
  std::string m_prefix; // namespace names: <prefix>-<host>
  std::string m_switch;
  std::map<std::string, std::string> m_addresses;
};

} // namespace om::test
