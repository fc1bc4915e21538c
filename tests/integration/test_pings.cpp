// Monitoring pings (ping-url): a real HTTP server on 127.0.0.1 records what each job sends.
#include "support/catch.hpp"

#include <simdjson.h>

#include <om/util/host.hpp>
#include <om/util/strings.hpp>

#include "support/http_receiver.hpp"
#include "support/sample_app.hpp"

using namespace om;
using om::test::Contains;
using om::test::StartsWith;
using test::HttpReceiver;
using test::SampleApp;

namespace {

constexpr const char* k_token = "6f3c0c8e-7d7b-4b43-9d2a-5e0f9a1b2c3d";

std::string config_with(const SampleApp& app, const std::string& lines) {
  const auto path = app.dir / "om-backup.conf";
  test::write_text(path, lines);
  return path;
}

// Nothing the tools wrote (stderr, logs, the catalog) holds the token.
void check_token_kept(SampleApp& app, const test::ToolResult& r) {
  CHECK(r.err.find(k_token) == std::string::npos);
  CHECK(r.out.find(k_token) == std::string::npos);
  CHECK(test::shell("grep -rl " + std::string(k_token) + " " + app.logs + " " + app.state +
                    " || true") == "");
  CHECK(app.db.count(std::string("SELECT COUNT(*) FROM backup_jobs WHERE error LIKE '%") + k_token +
                     "%'") == 0);
}

} // namespace

TEST_CASE("pings: a backup tells healthchecks its start then its success with the log's end") {
  test::TestCatalog db;
  SampleApp app(db);
  HttpReceiver hc(app.dir / "receiver");
  const auto conf =
      config_with(app, "ping-url = " + hc.url(std::string("/ping/") + k_token) + "\n");
  auto r = app.run({"--config", conf});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto sent = hc.requests();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].path == std::string("/ping/") + k_token + "/start");
  CHECK(sent[1].method == "POST");
  CHECK(sent[1].path == std::string("/ping/") + k_token);
  CHECK_THAT(sent[0].query, StartsWith("rid="));
  CHECK(sent[0].query == sent[1].query); // the start and its end are one run
  CHECK_THAT(sent[1].body, Contains("backup finished: om-"));
  CHECK(sent[1].body.size() <= 10 * 1024);
  CHECK_THAT(sent[1].headers["User-Agent"], StartsWith("om-backup/"));
  check_token_kept(app, r);

  // A dry run is no job: nothing is sent.
  auto dry = app.run({"--config", conf, "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK(hc.requests().size() == 2);
}

TEST_CASE("pings: a failed backup sends its exit code to healthchecks and down to uptime kuma") {
  test::TestCatalog db;
  SampleApp app(db);
  HttpReceiver hc(app.dir / "receiver");
  const auto dump =
      app.write_script("failing-dump.sh", "echo 'Access denied for user' >&2; exit 2");
  const auto conf = config_with(
      app, "ping-url = " + hc.url(std::string("/ping/") + k_token) + "\nping-url = uptime-kuma:" +
               hc.url("/api/push/kuma-secret?status=up&msg=OK&ping=") + "\n");
  auto r = app.run({"--config", conf, "--mysqldump", dump});
  INFO(r.err);
  REQUIRE(r.exit_code == 2);
  auto sent = hc.requests();
  REQUIRE(sent.size() == 3); // healthchecks start; healthchecks end, kuma end (no start there)
  CHECK(sent[0].path == std::string("/ping/") + k_token + "/start");
  CHECK(sent[1].path == std::string("/ping/") + k_token + "/2");
  CHECK_THAT(sent[1].body, Contains("Access denied for user"));
  CHECK(sent[2].method == "GET");
  CHECK(sent[2].path == "/api/push/kuma-secret");
  CHECK_THAT(sent[2].query,
             StartsWith("status=down&msg=database%20dump%20failed") && Contains("&ping="));
  check_token_kept(app, r);
}

TEST_CASE("pings: a receiver that fails or is gone costs a few tries and never the job") {
  test::TestCatalog db;
  SampleApp app(db);
  HttpReceiver hc(app.dir / "receiver");
  const auto conf =
      config_with(app, "ping-url = " + hc.url(std::string("/ping/") + k_token) + "\n");
  hc.answer(500);
  auto r = app.run({"--config", conf});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(hc.requests().size() == 6); // start and success, three attempts each
  CHECK_THAT(r.err, Contains("healthchecks ping to " + hc.url("/…") +
                             " (start) failed: HTTP 500 "
                             "(3 attempts); the job is not affected"));
  check_token_kept(app, r);

  hc.answer(404); // refused: asked once, not again
  auto refused = app.run({"--config", conf});
  CHECK(refused.exit_code == 0);
  CHECK(hc.requests().size() == 8);

  hc.stop();
  auto gone = app.run({"--config", conf});
  INFO(gone.err);
  CHECK(gone.exit_code == 0);
  CHECK_THAT(gone.err, Contains("(success) failed: ") && Contains("(3 attempts)"));
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 3);
  check_token_kept(app, gone);
}

TEST_CASE("pings: ntfy and json get their documented shapes and sync pings too") {
  test::TestCatalog db;
  SampleApp app(db);
  HttpReceiver hook(app.dir / "receiver");
  const auto conf = config_with(app, "ping-style = ntfy\nping-url = " + hook.url("/om-topic") +
                                         "\nping-url = json:" + hook.url("/hook") + "\n");
  auto r = app.run({"--config", conf});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto sent = hook.requests();
  REQUIRE(sent.size() == 4); // ntfy start, json start, ntfy end, json end
  CHECK(sent[0].path == "/om-topic");
  CHECK(sent[0].headers["Title"] == "om-backup-run started on " + util::host_name());
  CHECK(sent[0].headers["Priority"] == "2");
  CHECK(sent[2].headers["Title"] == "om-backup-run succeeded on " + util::host_name());
  CHECK(sent[2].headers["Priority"] == "3");
  CHECK(sent[2].headers["Tags"] == "white_check_mark");
  CHECK_THAT(sent[2].body, StartsWith("OK\n\n") && Contains("backup finished"));

  CHECK(sent[3].path == "/hook");
  CHECK(sent[3].headers["Content-Type"] == "application/json");
  simdjson::dom::parser parser;
  simdjson::padded_string end_body(sent[3].body);
  auto end = parser.parse(end_body);
  REQUIRE(end.error() == simdjson::SUCCESS);
  CHECK(std::string(end["event"].get_string().value()) == "success");
  CHECK(std::string(end["tool"].get_string().value()) == "om-backup-run");
  CHECK(end["exit_code"].get_int64().value() == 0);
  CHECK(std::string(end["record"]["job"]["status"].get_string().value()) == "success");
  CHECK(std::string(end["record"]["job"]["id"].get_string().value()) ==
        db.scalar("SELECT id FROM backup_jobs"));
  CHECK_THAT(std::string(end["log_tail"].get_string().value()), Contains("backup finished"));

  auto synced = test::run_tool("om-backup-sync", app.args({"--config", conf}), app.env());
  INFO(synced.err);
  CHECK(synced.exit_code == 0);
  auto all = hook.requests();
  REQUIRE(all.size() == 8);
  CHECK(all[4].headers["Title"] == "om-backup-sync started on " + util::host_name());
  CHECK(all[6].headers["Title"] == "om-backup-sync succeeded on " + util::host_name());
}

TEST_CASE("pings: a ping-url that is not http(s) is a configuration error naming its line") {
  test::TestCatalog db;
  SampleApp app(db);
  auto conf = config_with(app, "# pings\nping-url = ftp://example.net/secret-token\n");
  auto r = app.run({"--config", conf});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("line 2") && Contains("ftp://example.net/…"));
  CHECK(r.err.find("secret-token") == std::string::npos);
  conf = config_with(app, "ping-style = pager\n");
  r = app.run({"--config", conf});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("ping-style 'pager'"));
}

TEST_CASE("pings: prune and a restore drill ping their start and end - a file restore does not") {
  test::TestCatalog db;
  SampleApp app(db);
  HttpReceiver hc(app.dir / "receiver");
  const auto conf =
      config_with(app, "ping-url = " + hc.url(std::string("/ping/") + k_token) + "\n");
  REQUIRE(app.run().exit_code == 0); // no config: no ping
  REQUIRE(hc.requests().empty());
  auto pruned = test::run_tool("om-backup-prune", app.args({"--config", conf}), app.env());
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  auto drill =
      test::run_tool("om-backup-restore", app.args({"--config", conf, "verify"}), app.env());
  INFO(drill.err);
  CHECK(drill.exit_code == 0);
  auto files = test::run_tool(
      "om-backup-restore",
      app.args({"--config", conf, "files", "--from", db.scalar("SELECT id FROM backup_jobs"),
                "--to", app.dir / "restored"}),
      app.env());
  INFO(files.err);
  CHECK(files.exit_code == 0);
  auto sent = hc.requests();
  REQUIRE(sent.size() == 4); // prune start and end, the drill's start and end; none for files
  CHECK(sent[0].path == std::string("/ping/") + k_token + "/start");
  CHECK(sent[1].path == std::string("/ping/") + k_token);
  CHECK(sent[2].path == std::string("/ping/") + k_token + "/start");
  CHECK(sent[3].path == std::string("/ping/") + k_token);
  CHECK(sent[0].query != sent[2].query); // each tool's run is its own
  CHECK_THAT(sent[3].body, Contains("restored files from borg archive"));
}
