// om-backup-report config [--check]: the settings as the tools see them, and the configuration
// tested as a whole against the real catalog, borg and file system.
#include "support/catch.hpp"

#include <sys/stat.h>

#include <simdjson.h>

#include "support/sample_app.hpp"

using namespace om;
using om::test::Contains;
using test::SampleApp;

namespace {

test::ToolResult report_config(SampleApp& app, std::vector<std::string> args,
                               std::map<std::string, std::string> env = {}) {
  auto all = app.db.tool_args();
  all.insert(all.begin(), "config");
  all.insert(all.end(), args.begin(), args.end());
  auto e = app.env();
  e.insert(env.begin(), env.end());
  return test::run_tool("om-backup-report", all, e);
}

} // namespace

TEST_CASE("config: one setting from each layer shows its origin - secrets only as (set)") {
  test::TestCatalog db;
  SampleApp app(db);
  const auto conf = app.dir / "om.conf";
  test::write_text(conf, "repo = " + app.repo + "\nlog-dir = " + app.logs +
                             "\nping-url = https://hc-ping.example/6f3c0c8e-secret\n");
  db.exec("INSERT INTO backup_settings (keep_daily) VALUES (11)");
  // A catalog user with a password, as on a server.
  const auto user = db.name() + "_u";
  db.exec("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'hunter2-db'");
  db.exec("GRANT ALL ON " + db.name() + ".* TO '" + user + "'@'localhost'");
  auto r = report_config(app, {"--config", conf, "--json", "--db-user", user},
                         {{"OM_STATE_DIR", app.state}, {"OM_DB_PASSWORD", "hunter2-db"}});
  db.exec("DROP USER '" + user + "'@'localhost'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::padded_string json(r.out);
  auto doc = parser.parse(json);
  REQUIRE(doc.error() == simdjson::SUCCESS);
  std::map<std::string, std::pair<std::string, std::string>> seen;
  for (auto s : doc.get_array())
    seen[std::string(s["key"].get_string().value())] = {
        std::string(s["value"].get_string().value()),
        std::string(s["origin"].get_string().value())};
  CHECK(seen["db-name"].second == "command-line");
  CHECK(seen["state-dir"] == std::pair<std::string, std::string>{app.state, "environment"});
  CHECK(seen["log-dir"] == std::pair<std::string, std::string>{app.logs, "file:" + conf + ":2"});
  CHECK(seen["keep-daily"] == std::pair<std::string, std::string>{"11", "backup_settings"});
  CHECK(seen["copy-keep-days"] == std::pair<std::string, std::string>{"30", "default"});
  CHECK(seen["ping-url"] == std::pair<std::string, std::string>{"(set)", "file:" + conf + ":3"});
  CHECK(seen["db-password"] == std::pair<std::string, std::string>{"(set)", "environment"});
  CHECK(seen["borg-passphrase"] == std::pair<std::string, std::string>{"(set)", "environment"});
  for (const char* secret : {"6f3c0c8e-secret", "hunter2-db", app.passphrase.c_str()}) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("config --check: a good setup is exit 0 - each problem is found with its fix - 78") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0); // the repository exists
  const auto conf = app.dir / "om.conf";
  test::write_text(conf, "repo = " + app.repo + "\nlog-dir = " + app.logs +
                             "\nstate-dir = " + app.state + "\n");
  auto good = report_config(app, {"--config", conf, "--check"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out, Contains("ok       catalog: reachable") &&
                           Contains("ok       target local: " + app.repo + ": reachable") &&
                           Contains("ok       schedule: '0 2 * * *', next runs ") &&
                           Contains(" is borg 1.") &&
                           Contains("(supported: borg 1.2.x and 1.4.x)"));
  // A borg 2 is a problem, named with its version.
  test::write_text(app.dir / "borg2", "#!/bin/sh\necho 'borg 2.0.0b19'\n");
  ::chmod((app.dir / "borg2").c_str(), 0755);
  auto borg2 = report_config(app, {"--config", conf, "--check", "--borg", app.dir / "borg2"});
  CHECK(borg2.exit_code == 78);
  CHECK_THAT(borg2.out, Contains("PROBLEM  borg: " + app.dir / "borg2" +
                                 " is borg 2.0.0b19, which om-backup does not support"));

  // Everything wrong at once but the catalog: a wrong passphrase, a log folder this user
  // cannot write, no mysqldump, a schedule that does not parse.
  const auto locked = app.dir / "locked";
  test::write_text(locked + "/.keep", "");
  ::chmod(locked.c_str(), 0555);
  test::write_text(conf, "repo = " + app.repo + "\nlog-dir = " + locked +
                             "/logs\nstate-dir = " + app.state +
                             "\nmysqldump = /nonexistent/mysqldump\n"
                             "schedule = 61 2 * * *\n");
  auto args = db.tool_args();
  args.insert(args.begin(), {"config", "--check", "--config", conf});
  auto env = app.env();
  env["BORG_PASSPHRASE"] = "not the passphrase";
  auto wrong = test::run_tool("om-backup-report", args, env);
  INFO(wrong.out << wrong.err);
  CHECK(wrong.exit_code == 78);
  CHECK_THAT(wrong.out, Contains("PROBLEM  target local: ") &&
                            Contains("fix: the passphrase is wrong") &&
                            Contains("PROBLEM  mysqldump: '/nonexistent/mysqldump' is not "
                                     "installed") &&
                            Contains("PROBLEM  schedule: ") && Contains("ok       catalog"));
  CHECK(wrong.out.find("not the passphrase") == std::string::npos);
  // The log folder, as a user without root's power over permissions sees it.
  auto unprivileged = test::run_tool_via({"setpriv", "--inh-caps=-dac_override,-dac_read_search",
                                          "--bounding-set=-dac_override,-dac_read_search"},
                                         "om-backup-report", args, env);
  INFO(unprivileged.out << unprivileged.err);
  CHECK(unprivileged.exit_code == 78);
  CHECK_THAT(unprivileged.out, Contains("PROBLEM  log-dir: " + locked + " is not writable"));

  // The catalog down.
  auto down = test::run_tool("om-backup-report",
                             {"config", "--check", "--config", conf, "--db-socket",
                              app.dir / "no.sock", "--db-user", "root", "--db-name", db.name()},
                             app.env());
  CHECK(down.exit_code == 78);
  CHECK_THAT(down.out, Contains("PROBLEM  catalog: connecting to catalog") &&
                           Contains("fix: start the server"));
}
