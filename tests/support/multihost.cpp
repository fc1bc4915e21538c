#include "support/multihost.hpp"

#include <stdexcept>

#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"

namespace om::test {
namespace {

constexpr const char* k_passphrase = "central repository secret";

} // namespace

NetworkCatalog::NetworkCatalog(const TestNetwork& net, const std::string& host,
                               const std::string& dir)
    : m_dir(dir), m_address(net.address(host)), m_socket(dir + "/mysqld.sock") {
  // A folder of its own for temporary tables: a starting mariadbd deletes every #sql* file in
  // its tmpdir, which in a shared /tmp are the live temporary tables of the other test servers.
  (void)shell("mkdir -p " + q(dir + "/tmp") + " && mariadb-install-db --no-defaults --datadir=" +
              q(dir + "/data") + " --tmpdir=" + q(dir + "/tmp") +
              " --user=root --auth-root-authentication-method=normal " + "--skip-test-db > " +
              q(dir + "/install.log") + " 2>&1");
  // Dead clients (a host that lost its network while holding a GET_LOCK) are noticed by TCP
  // keepalive: idle 10 s, then 3 probes 5 s apart.
  (void)shell("ip netns exec " + q(net.netns(host)) + " mariadbd --no-defaults --datadir=" +
              q(dir + "/data") + " --tmpdir=" + q(dir + "/tmp") + " --socket=" + q(m_socket) +
              " --bind-address=" + m_address + " --port=3306 --user=root --pid-file=" +
              q(dir + "/mysqld.pid") + " --log-error=" + q(dir + "/error.log") +
              " --tcp-keepalive-time=10 --tcp-keepalive-interval=5 --tcp-keepalive-probes=3"
              " </dev/null >/dev/null 2>&1 &");
  if (!eventually([&] {
        try {
          (void)shell("mariadb-admin --socket=" + q(m_socket) + " -uroot ping >/dev/null 2>&1");
          return true;
        } catch (const std::exception&) {
          return false;
        }
      }))
    throw std::runtime_error("the catalog server did not start; see " + dir + "/error.log");
  db::ConnectionOptions root;
  root.socket = m_socket;
  root.user = "root";
  auto admin = db::Catalog::connect(root);
  if (!admin)
    throw std::runtime_error(admin.error().message);
  const std::string who = std::string("'") + k_user + "'@'10.231.0.%'";
  for (const auto& statement : {std::string("CREATE DATABASE ") + k_database,
                                "CREATE USER " + who + " IDENTIFIED BY '" + k_password + "'",
                                std::string("GRANT ALL ON ") + k_database + ".* TO " + who}) {
    if (auto r = admin->execute(statement); !r)
      throw std::runtime_error(statement + ": " + r.error().message);
  }
  root.database = k_database;
  auto sql = db::Catalog::connect(root);
  if (!sql)
    throw std::runtime_error(sql.error().message);
  m_sql = std::make_unique<db::Catalog>(std::move(*sql));
}

NetworkCatalog::~NetworkCatalog() {
  m_sql.reset();
  try {
    (void)shell("p=$(cat " + q(m_dir + "/mysqld.pid") +
                ") && kill -TERM $p && while kill -0 $p 2>/dev/null; do sleep 0.1; done");
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

std::string NetworkCatalog::scalar(const std::string& query) const {
  auto row = m_sql->query_one(query);
  if (!row)
    throw std::runtime_error(query + ": " + row.error().message);
  if (!*row)
    throw std::runtime_error(query + ": no row");
  return (*row)->opt_text(0).value_or("");
}

std::int64_t NetworkCatalog::count(const std::string& query) const {
  return std::stoll(scalar(query));
}

MultiHost::MultiHost(const std::string& target_config) {
  (void)net.add_host("db");
  (void)net.add_host("repo");
  db = std::make_unique<NetworkCatalog>(net, "db", dir / "db");
  repo_path = dir / "repo-host/repository";
  repo_server = std::make_unique<SshServer>(
      dir / "repo-host/ssh", repo_path, SshServer::OnHost{net.netns("repo"), net.address("repo")});
  repo_url = repo_server->url();
  m_passphrase_file = dir / "central.pass";
  write_text(m_passphrase_file, std::string(k_passphrase) + "\n");
  ::chmod(m_passphrase_file.c_str(), 0600);
  add_web_host("web1", target_config);
  add_web_host("web2", target_config);
  // The admin's first steps, from web1: the repository, then the catalog's tables.
  (void)shell("ip netns exec " + q(net.netns("web1")) + " env BORG_PASSPHRASE=" + q(k_passphrase) +
              " BORG_BASE_DIR=" + q(host("web1").dir + "/borg-home") + " BORG_RSH=" +
              q("ssh -o BatchMode=yes -i " + repo_server->key() +
                " -o UserKnownHostsFile=" + repo_server->known_hosts()) +
              " borg init --encryption=repokey " + q(repo_url));
  auto migrated = tool("web1", "om-backup-migrate", {});
  if (migrated.exit_code != 0)
    throw std::runtime_error("om-backup-migrate on web1: " + migrated.err);
}

MultiHost::~MultiHost() = default;

void MultiHost::add_web_host(const std::string& name, const std::string& target_config) {
  (void)net.add_host(name);
  Host h;
  h.name = name;
  h.dir = dir / name;
  h.prod = h.dir + "/prod";
  h.logs = h.dir + "/logs";
  h.state = h.dir + "/state";
  h.config = h.dir + "/om-backup.conf";
  write_text(h.prod + "/server/index.js", "console.log('" + name + "');\n");
  write_text(h.prod + "/uploads/records/" + name + " baptism.pdf", "%PDF-1.4 " + name + "\n");
  // The database dump: mysqldump over the network, or held until the test says go (then a
  // dump written beforehand when the host has no network any more).
  const auto go = h.dir + "/go";
  write_text(h.dir + "/hold-dump.sh",
             "#!/bin/sh\n"
             "[ -e " +
                 q(h.dir + "/hold") + " ] && { echo $$ > " + q(h.dir + "/dump.pid") +
                 "; while [ ! -e " + q(go) + " ]; do sleep 0.1; done; }\n" + "[ -e " +
                 q(h.dir + "/offline-dump.sql") + " ] && exec cat " +
                 q(h.dir + "/offline-dump.sql") + "\nexec mysqldump \"$@\"\n");
  ::chmod((h.dir + "/hold-dump.sh").c_str(), 0755);
  write_text(h.config,
             "db-host = " + db->address() +
                 "\ndb-port = 3306\ndb-user = " + NetworkCatalog::k_user +
                 "\ndb-name = " + NetworkCatalog::k_database + "\nprod-root = " + h.prod +
                 "\nlog-dir = " + h.logs + "\nstate-dir = " + h.state + "\nmysqldump = " + h.dir +
                 "/hold-dump.sh\n\n[target.central]\nrepo = " + repo_url +
                 "\npassphrase-file = " + m_passphrase_file + "\nssh-key = " + repo_server->key() +
                 "\nknown-hosts = " + repo_server->known_hosts() + "\n" + target_config);
  m_hosts.emplace(name, std::move(h));
}

const MultiHost::Host& MultiHost::host(const std::string& name) const {
  auto it = m_hosts.find(name);
  if (it == m_hosts.end())
    throw std::runtime_error("no web host " + name);
  return it->second;
}

std::map<std::string, std::string> MultiHost::env(const Host& h) const {
  return {{"OM_DB_PASSWORD", NetworkCatalog::k_password},
          {"BORG_BASE_DIR", h.dir + "/borg-home"},
          {"OM_BACKUP_CONFIG", h.config}};
}

ToolResult MultiHost::tool(const std::string& host_name, const std::string& tool_name,
                           std::vector<std::string> args) const {
  const auto& h = host(host_name);
  args.insert(args.begin(), {"--config", h.config});
  return run_tool_via(net.on(host_name), tool_name, args, env(h));
}

std::thread MultiHost::start_held_run(const std::string& host_name, ToolResult& result,
                                      std::vector<std::string> extra) const {
  const auto& h = host(host_name);
  (void)shell("rm -f " + q(h.dir + "/go") + " " + q(h.dir + "/dump.pid"));
  write_text(h.dir + "/hold", "");
  std::thread runner(
      [this, host_name, &result, extra] { result = tool(host_name, "om-backup-run", extra); });
  if (!eventually([&] { return held(host_name); })) {
    release(host_name);
    runner.join();
    throw std::runtime_error("om-backup-run on " + host_name +
                             " never reached its dump: " + result.err);
  }
  return runner;
}

bool MultiHost::held(const std::string& host_name) const {
  return util::read_file(host(host_name).dir + "/dump.pid").value_or("").ends_with("\n");
}

void MultiHost::release(const std::string& host_name) const {
  const auto& h = host(host_name);
  write_text(h.dir + "/go", "");
  (void)shell("rm -f " + q(h.dir + "/hold"));
}

std::string MultiHost::borg(const std::string& args) const {
  return shell("BORG_PASSPHRASE=" + q(k_passphrase) + " BORG_BASE_DIR=" + q(dir / "borg-home") +
               " BORG_RELOCATED_REPO_ACCESS_IS_OK=yes TZ=UTC borg " + args);
}

std::vector<std::string> MultiHost::archives() const {
  return lines_of(borg("list --short --consider-checkpoints " + q(repo_path)));
}

} // namespace om::test
