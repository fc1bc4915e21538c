#include "support/catch.hpp"

#include <om/borg/archive_name.hpp>
#include <om/borg/parse.hpp>
#include <om/config/config_file.hpp>
#include <om/report/when.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

using namespace om;

namespace {

Result<std::vector<config::Target>> read_config(const std::string& text) {
  auto file = config::read_config_file("/etc/om.conf", text);
  if (!file)
    return std::unexpected(file.error());
  return file->targets;
}

// /etc/om.conf holding `text` is refused: exit 78, a message that says `says`.
void expect(const std::string& text, const std::string& says) {
  auto r = read_config(text);
  REQUIRE_FALSE(r);
  CHECK(r.error().status == ExitStatus::config);
  INFO(r.error().message);
  CHECK(r.error().message.find(says) != std::string::npos);
}

} // namespace

TEST_CASE("utf8: valid text passes whole, stray bytes become U+FFFD, never dropped") {
  const std::string greek_cjk_emoji = "Σύνοδος 档案 🎉";
  CHECK(util::is_valid_utf8(greek_cjk_emoji));
  CHECK(util::to_valid_utf8(greek_cjk_emoji) == greek_cjk_emoji);
  CHECK(util::to_valid_utf8("a\xff"
                            "b") == "a\xEF\xBF\xBD"
                                    "b");
  CHECK(util::to_valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
  CHECK(util::to_valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
  CHECK(util::to_valid_utf8("cut \xE6\xA1") ==
        "cut \xEF\xBF\xBD\xEF\xBF\xBD");                // sequence cut short
  CHECK_FALSE(util::is_valid_utf8("\xF4\x90\x80\x80")); // past U+10FFFF
}

TEST_CASE("fit_text: cut on a character boundary with a visible marker, within both limits") {
  CHECK(util::fit_text("short", 10, 40) == "short");
  std::string cjk;
  for (int i = 0; i < 100; ++i)
    cjk += "档";                                // 3 bytes each, 300 bytes
  auto by_chars = util::fit_text(cjk, 50, 200); // VARCHAR(50)
  CHECK(by_chars.ends_with("… (truncated, 300 bytes)"));
  CHECK(util::is_valid_utf8(by_chars));
  CHECK(by_chars.starts_with("档档档"));
  auto by_bytes = util::fit_text(cjk, 1000, 100); // a TEXT column counts bytes
  CHECK(by_bytes.size() <= 100);
  CHECK(util::is_valid_utf8(by_bytes));
  CHECK(by_bytes.ends_with("… (truncated, 300 bytes)"));
  std::string ten_mb(10 << 20, 'e');
  auto error = util::fit_text(ten_mb, 65535, 65535);
  CHECK(error.size() <= 65535);
  CHECK(error.size() > 65000);
  CHECK(error.ends_with("(truncated, 10485760 bytes)"));
}

TEST_CASE("escape_controls: terminal escapes and newlines shown as text, the rest untouched") {
  CHECK(util::escape_controls("plain Σ 档") == "plain Σ 档");
  CHECK(util::escape_controls("red\x1b[31m!") == "red\\x1b[31m!");
  CHECK(util::escape_controls("two\nlines\ttab") == "two\\nlines\\ttab");
  CHECK(util::escape_controls("c1 \xC2\x9B"
                              "2J") == "c1 \\u009b2J");      // C1 CSI
  CHECK(util::escape_controls("lone \x9b") == "lone \\x9b"); // 8-bit CSI byte
  CHECK(util::escape_controls("del\x7f") == "del\\x7f");
}

TEST_CASE(
    "config file: every line is key = value, known, once, of its type (exit 78 with the line)") {
  CHECK(read_config("# comment\n; other\n\nrepo = /r\nkeep-daily = 7\nenabled = yes\n"));
  expect("repo = /r\nrepo\n", "/etc/om.conf line 2: 'repo' is not 'key = value'");
  expect("[offsite]\nrepo = /r\n", "line 1: '[offsite]': the only sections are [target.NAME]");
  expect("repo = /a\nkeep_daily = 3\nrepo = /b\n",
         "line 3: key 'repo' is given again (first on line 1)");
  expect("keep-daily = -1\n", "line 1: keep-daily must be a whole number from 0 to");
  expect("keep-weekly = many\n", "keep-weekly must be a whole number");
  expect("enabled = perhaps\n", "line 1: enabled must be yes or no");
  expect("compression-level = 23\n", "from 0 to 22");
  expect("no-such-key = 1\n", "unknown key 'no-such-key'");
}

TEST_CASE("config file: [target.NAME] sections are targets, checked like the rest") {
  auto targets = read_config("repo = /var/backups/OM/repo\nkeep-daily = 7\n\n"
                             "[target.offsite]\nrepo = ssh://borg@backup.example.org:22/./om-repo\n"
                             "passphrase-file = /etc/om-backup/offsite.pass\nssh-key = /k\n"
                             "known-hosts = /kh\nprune = no\nkeep-daily = 90\nlock-wait = 30\n"
                             "[target.usb]\nrepo = /mnt/usb/om\n");
  REQUIRE(targets);
  REQUIRE(targets->size() == 2);
  const auto& offsite = (*targets)[0];
  CHECK(offsite.name == "offsite");
  CHECK(offsite.is_remote());
  CHECK(offsite.passphrase_file == "/etc/om-backup/offsite.pass");
  CHECK(offsite.ssh_key == "/k");
  CHECK(offsite.known_hosts == "/kh");
  CHECK_FALSE(offsite.prune);
  CHECK(offsite.keep_daily == 90);
  CHECK_FALSE(offsite.keep_weekly);
  CHECK(offsite.lock_wait_s == 30);
  CHECK(offsite.defined_at == "config file /etc/om.conf line 4");
  CHECK((*targets)[1].name == "usb");
  CHECK((*targets)[1].prune);

  expect("[target.offsite]\nprune = no\n",
         "config file /etc/om.conf line 1: target 'offsite' has no repo");
  expect("[target.a]\nrepo = /a\n[target.a]\nrepo = /b\n",
         "line 3: target 'a' is defined again (config file /etc/om.conf line 1)");
  expect("[target.local]\nrepo = /a\n", "line 1: target 'local' is --repo itself");
  expect("[target.bad name]\nrepo = /a\n", "line 1: target name 'bad name'");
  expect("[target.a]\nrepo = /a\nkind = borg\n", "line 3: unknown key 'kind' in a target");
  expect("[target.a]\nrepo = /a\nprune = sometimes\n", "line 3: prune must be yes or no");
  expect("[target.a]\nrepo = /a\nrepo = /b\n", "line 3: key 'repo' is given again");

  // As CLI11 reads the rest of the file: after an unquoted value '#' starts a comment; a '#'
  // inside quotes is refused (CLI11 would cut the value there, quote and all).
  auto commented = read_config("keep-daily = 7   # a week\n[target.a]\nrepo = /a # the USB disk\n"
                               "prune = no # its owner's\nssh-key = \"/keys/k 1\"\n");
  REQUIRE(commented);
  CHECK(commented->front().repo == "/a");
  CHECK_FALSE(commented->front().prune);
  CHECK(commented->front().ssh_key == "/keys/k 1");
  expect("db-socket = \"/run/my#sql.sock\"\n", "line 1: db-socket: a value cannot hold '#'");
  expect("[target.a]\nrepo = '/a#b'\n", "line 2: repo: a value cannot hold '#'");
}

TEST_CASE("durations that overflow are usage errors, times before the epoch mean all history") {
  auto huge = report::parse_duration("99999999999999999d");
  REQUIRE_FALSE(huge);
  CHECK(huge.error().status == ExitStatus::usage);
  CHECK_FALSE(report::parse_when("99999999999999999d", 1'000'000));
  CHECK(report::parse_when("60000d", 1'000'000) == 0);
  CHECK(report::parse_when("1900-01-01", 1'000'000) == 0);
  CHECK(report::parse_when("2d", 1'000'000) == 1'000'000 - 2 * 86400);
}

TEST_CASE("time: is_local_time accepts borg's forms and refuses what is not a calendar time") {
  CHECK(util::is_local_time("2026-02-28T23:59:59"));
  CHECK(util::is_local_time("2024-02-29 01:02:03.123456"));
  CHECK_FALSE(util::is_local_time("2026-02-29T00:00:00"));
  CHECK_FALSE(util::is_local_time("2026-13-01T00:00:00"));
  CHECK_FALSE(util::is_local_time("yesterday"));
  CHECK_FALSE(util::is_local_time("2026-01-01T00:00:00.x"));
  CHECK_FALSE(util::is_local_time(""));
}

TEST_CASE("borg JSON with an impossible value is refused whole, never stored overflowed") {
  const std::string id(64, 'a');
  auto archive = [&](const std::string& fields) {
    return "{\"name\":\"n\",\"id\":\"" + id + "\"," + fields + "}";
  };
  CHECK(borg::parse_archive_info(
      archive("\"start\":\"2026-01-01T00:00:00.000000\",\"duration\":3.5")));
  auto huge =
      borg::parse_archive_info(archive("\"start\":\"2026-01-01T00:00:00\",\"duration\":1e300"));
  REQUIRE_FALSE(huge);
  CHECK(huge.error().message.find("impossible value: duration") != std::string::npos);
  auto not_time = borg::parse_archive_info(archive("\"start\":\"not a time\""));
  REQUIRE_FALSE(not_time);
  CHECK(not_time.error().message.find("start 'not a time' is not a time") != std::string::npos);
  CHECK_FALSE(borg::parse_archive_info(archive("\"stats\":{\"compressed_size\":1e30}")));
  CHECK_FALSE(borg::parse_archive_info(archive("\"stats\":{\"original_size\":-5}")));
  CHECK_FALSE(borg::parse_listed_archive(archive("\"time\":\"2026-02-30T00:00:00\"")));
}

TEST_CASE("archive names: the default format is unique beyond the second") {
  const std::string format = "om-{hostname}-{now:%Y-%m-%dT%H:%M:%S.%f}";
  const std::int64_t second = 1'790'000'000LL * 1'000'000;
  auto a = borg::expand_archive_name(format, second + 1, "web1", "root");
  auto b = borg::expand_archive_name(format, second + 2, "web1", "root");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  CHECK(a->ends_with(".000001"));
  auto utc = borg::expand_archive_name("x-{utcnow:%H%M%S%f}", second + 123456, "h", "u");
  REQUIRE(utc);
  CHECK(utc->ends_with("123456"));
}
