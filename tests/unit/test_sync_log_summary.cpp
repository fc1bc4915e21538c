#include "support/catch.hpp"

#include <om/sync/log_summary.hpp>
#include <om/util/files.hpp>
#include <om/util/time.hpp>

#include "support/utc.hpp"

using namespace om;
using Outcome = sync::LogSummary::Outcome;

namespace {
sync::LogSummary parse_fixture(const std::string& name) {
  auto text = util::read_file(std::string(OM_FIXTURES_DIR) + "/legacy-script/logs/" + name);
  REQUIRE(text);
  return sync::parse_backup_log(*text, *util::find_zone("UTC"));
}
using test::utc;
} // namespace

TEST_CASE("log: the legacy script's successful run links to its archive") {
  auto s = parse_fixture("backup-20261126-155552.log");
  CHECK(s.outcome == Outcome::success);
  CHECK(s.fingerprint == "994de9b2e0c6ead258ae2c1dd28903e64c79861e2a44e22cbad68bc53262a9ac");
  CHECK(s.archive_name == "om-vm-2026-11-26T15:55:52");
  CHECK(s.repository == "/tmp/ls/repo");
  CHECK(s.host == "vm");
  CHECK(s.first_time == utc("2026-11-26T15:55:52"));
  CHECK(s.last_time == utc("2026-11-26T15:55:53"));
  CHECK(s.archive_start == utc("2026-11-26T15:55:53"));
  CHECK(s.nfiles == 1);
  CHECK(s.warnings.empty());
  CHECK_FALSE(s.error_text());
}

TEST_CASE("log: a wrong passphrase is a failed run with borg's own words first") {
  auto s = parse_fixture("backup-20261126-155555.log");
  CHECK(s.outcome == Outcome::failed);
  CHECK(s.fingerprint.empty());
  REQUIRE(s.error_text());
  CHECK(*s.error_text() == "passphrase supplied in BORG_PASSPHRASE, by BORG_PASSCOMMAND or via "
                           "BORG_PASSPHRASE_FD is incorrect.");
  CHECK(s.first_time == utc("2026-11-26T15:55:55"));
}

TEST_CASE("log: a run with warnings is a success with warning text") {
  auto s = parse_fixture("backup-20261126-155556.log");
  CHECK(s.outcome == Outcome::success);
  CHECK(s.fingerprint == "01971ad19fad1495336666f60e95dee68af8f9fb450642718b0f1bdf91805bf5");
  REQUIRE(s.warnings.size() == 1);
  CHECK(*s.error_text() ==
        "warning: /tmp/ls/missing: [Errno 2] No such file or directory: 'missing'");
}

TEST_CASE("log: tolerant of what real deployments differ in") {
  auto tz = *util::find_zone("Europe/Berlin");
  SECTION("a run still writing has no outcome yet") {
    auto s = sync::parse_backup_log("[2026-11-26 03:00:00] Starting backup (pid 1, host web1)\n"
                                    "[2026-11-26 03:00:01] Creating archive om-web1-x\n",
                                    tz);
    CHECK(s.outcome == Outcome::in_progress);
    CHECK(s.host == "web1");
    CHECK(s.first_time == *util::parse_local_time("2026-11-26T03:00:00", tz));
  }
  SECTION("a lock timeout and an rc line, with CRLF endings and garbage") {
    auto s =
        sync::parse_backup_log("\x01\xff binary noise\r\n[2026-11-26 03:00:00] Starting backup\r\n"
                               "Failed to create/acquire the lock /r/lock.exclusive (timeout).\r\n"
                               "terminating with error status, rc 2\r\n",
                               tz);
    CHECK(s.outcome == Outcome::failed);
    CHECK(*s.error_text() == "Failed to create/acquire the lock /r/lock.exclusive (timeout).");
  }
  SECTION("om-backup-run's own log names its job") {
    auto s = sync::parse_backup_log(
        "[2026-11-26 03:00:00] om-backup-run 0.1.0: job 0f0f0f0f-0000-4000-8000-000000000001 kind "
        "borg host web1 pid 7\n[2026-11-26 03:00:09] info: backup finished: om-web1-x\n",
        tz);
    CHECK(s.om_job_id == "0f0f0f0f-0000-4000-8000-000000000001");
    CHECK(s.outcome == Outcome::success);
  }
  SECTION("an empty file") {
    auto s = sync::parse_backup_log("", tz);
    CHECK(s.outcome == Outcome::in_progress);
    CHECK_FALSE(s.first_time);
  }
}

TEST_CASE("log: borg's duration and file count are read as borg wrote them, nonsense is neither") {
  auto duration = [](const char* line) {
    return sync::parse_backup_log(std::string("[2026-11-26 15:55:52] Duration: ") + line + "\n",
                                  *util::find_zone("UTC"))
        .duration_s;
  };
  CHECK(duration("0.01 seconds") == 0.01);
  CHECK(duration("1 hours 5 minutes 2.50 seconds") == 3902.5);
  CHECK(duration("2 days 0.00 seconds") == 172800.0);
  for (const char* bad :
       {"inf seconds", "nan seconds", "-5.00 seconds", "5 fortnights", "5", "1e300 seconds", ""})
    CHECK_FALSE(duration(bad).has_value());
}
