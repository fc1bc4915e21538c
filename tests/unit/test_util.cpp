#include "support/catch.hpp"

#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

#include "support/temp_dir.hpp"

using namespace om;

TEST_CASE("strings: parse_int, parse_bool, first_line, shell_quote, human_bytes") {
  CHECK(util::parse_int("42") == 42);
  CHECK(util::parse_int("-7") == -7);
  CHECK_FALSE(util::parse_int("4x"));
  CHECK_FALSE(util::parse_int(""));
  CHECK(util::parse_bool("TRUE") == true);
  CHECK(util::parse_bool(" off ") == false);
  CHECK_FALSE(util::parse_bool("maybe"));
  CHECK(util::first_line("  first\nsecond") == "first");
  CHECK(util::unquote("\"a b\"") == "a b");
  CHECK(util::unquote("'x'") == "x");
  CHECK(util::unquote("\"mixed'") == "\"mixed'");
  CHECK(util::unquote("\"") == "\"");
  CHECK(util::shell_quote("plain/path") == "plain/path");
  CHECK(util::shell_quote("it's") == "'it'\\''s'");
  CHECK(util::human_bytes(512) == "512 B");
  CHECK(util::human_bytes(1536) == "1.5 KiB");
  CHECK(util::is_hex(std::string(64, 'a'), 64));
  CHECK_FALSE(util::is_hex(std::string(64, 'A'), 64));
}

TEST_CASE("uuid: v4 random and lowercase, v5 deterministic") {
  auto a = util::uuid_v4();
  auto b = util::uuid_v4();
  CHECK(util::is_uuid(a));
  CHECK(a != b);
  CHECK(a[14] == '4');
  auto x = util::uuid_v5("repo:archive");
  CHECK(util::is_uuid(x));
  CHECK(x[14] == '5');
  CHECK(x == util::uuid_v5("repo:archive"));
  CHECK(x != util::uuid_v5("repo:archive2"));
  CHECK_FALSE(util::is_uuid("not-a-uuid"));
}

TEST_CASE("sha256 of data and of a file agree with known values") {
  CHECK(util::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  test::TempDir dir;
  test::write_text(dir / "f", "abc");
  auto h = util::sha256_file(dir / "f");
  REQUIRE(h);
  CHECK(*h == util::sha256_hex("abc"));
  CHECK_FALSE(util::sha256_file(dir / "missing"));
}

TEST_CASE("time: borg's naive times in a zone, ISO 8601 out") {
  auto utc = util::find_zone("UTC");
  REQUIRE(utc);
  auto t = util::parse_local_time("2026-11-21T02:00:00.000000", *utc);
  REQUIRE(t);
  CHECK(*t == 1795226400);
  CHECK(util::iso8601(*t, *utc) == "2026-11-21T02:00:00+00:00");
  auto berlin = util::find_zone("Europe/Berlin");
  REQUIRE(berlin);
  auto b = util::parse_local_time("2026-11-21 03:00:00", *berlin);
  REQUIRE(b);
  CHECK(*b == 1795226400);
  // The hour that repeats when DST ends takes the earlier instant.
  auto fold = util::parse_local_time("2026-10-25T02:30:00", *berlin);
  REQUIRE(fold);
  CHECK(util::iso8601(*fold, *berlin) == "2026-10-25T02:30:00+02:00");
  CHECK_FALSE(util::parse_local_time("21/11/2026", *utc));
  CHECK_FALSE(util::find_zone("Not/AZone"));
}

TEST_CASE("files: atomic write replaces whole, with the mode asked") {
  test::TempDir dir;
  auto path = dir / "state.json";
  REQUIRE(util::write_file_atomic(path, "one", 0600));
  REQUIRE(util::write_file_atomic(path, "two", 0600));
  CHECK(test::read_text(path) == "two");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(util::write_file_atomic(dir / "no/such/dir/f", "x"));
  REQUIRE(util::make_dirs(dir / "a/b/c"));
  CHECK(util::path_exists(dir / "a/b/c"));
  CHECK(util::check_writable_dir(dir / "a/b/c"));
  CHECK_FALSE(util::check_writable_dir(dir / "missing"));
}

#include <om/util/command_line.hpp>
#include <om/util/cron.hpp>
#include <om/util/json_writer.hpp>

TEST_CASE("cron: the latest scheduled minute at or before now") {
  auto utc = *util::find_zone("UTC");
  auto at = [&](const char* text) { return *util::parse_local_time(text, utc); };
  auto daily2 = util::CronSchedule::parse("0 2 * * *");
  REQUIRE(daily2);
  CHECK(daily2->previous(at("2026-11-26T16:00:00"), utc) == at("2026-11-26T02:00:00"));
  CHECK(daily2->previous(at("2026-11-26T01:59:59"), utc) == at("2026-11-25T02:00:00"));
  CHECK(daily2->previous(at("2026-11-26T02:00:00"), utc) == at("2026-11-26T02:00:00"));
  auto every5 = util::CronSchedule::parse("*/5 * * * *");
  REQUIRE(every5);
  CHECK(every5->previous(at("2026-11-26T16:07:30"), utc) == at("2026-11-26T16:05:00"));
  auto weekdays = util::CronSchedule::parse("30 1 * * mon-fri");
  REQUIRE(weekdays);
  // 2026-11-29 is a Sunday: the previous run was Friday the 27th.
  CHECK(weekdays->previous(at("2026-11-29T12:00:00"), utc) == at("2026-11-27T01:30:00"));
  auto either = util::CronSchedule::parse("0 0 1 * 0"); // the 1st, or any Sunday
  REQUIRE(either);
  CHECK(either->previous(at("2026-11-30T12:00:00"), utc) == at("2026-11-29T00:00:00"));
  auto monthly = util::CronSchedule::parse("@monthly");
  REQUIRE(monthly);
  CHECK(monthly->previous(at("2026-11-26T12:00:00"), utc) == at("2026-11-01T00:00:00"));
  // In a DST gap the skipped minute never runs.
  auto berlin = *util::find_zone("Europe/Berlin");
  auto gap = util::CronSchedule::parse("30 2 * * *");
  REQUIRE(gap);
  CHECK(gap->previous(*util::parse_local_time("2026-03-29T12:00:00", berlin), berlin) ==
        *util::parse_local_time("2026-03-28T02:30:00", berlin));
  // A step longer than the field takes its first value only (fuzzing found a huge one crashing).
  auto long_step = util::CronSchedule::parse("0/2000000000000000001 * * * *");
  REQUIRE(long_step);
  CHECK(long_step->previous(at("2026-11-26T16:07:30"), utc) == at("2026-11-26T16:00:00"));
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a b c d e",
                          "5-1 * * * *", "4294967296 * * * *", "0 * * * 4294967297"}) {
    auto r = util::CronSchedule::parse(bad);
    CHECK_FALSE(r);
    if (!r)
      CHECK(r.error().status == ExitStatus::config);
  }
}

TEST_CASE("command lines split like a shell would, without expanding anything") {
  auto r = util::split_command("curl -fsS 'https://hc-ping.com/a b' \"x\\\"y\" $HOME");
  REQUIRE(r);
  CHECK(*r == std::vector<std::string>{"curl", "-fsS", "https://hc-ping.com/a b", "x\"y", "$HOME"});
  CHECK_FALSE(util::split_command("echo 'open"));
  CHECK_FALSE(util::split_command("   "));
}

TEST_CASE("json writer escapes and separates") {
  util::JsonWriter w;
  w.begin_object().field("a", "q\"\n\x01").field("n", std::int64_t{5});
  w.key("list").begin_array().value(true).null().value(1.5).end_array();
  w.field("bad", std::string("\xff ok"));
  w.key("raw").raw("{\"x\":1}");
  w.end_object();
  CHECK(w.str() == "{\"a\":\"q\\\"\\n\\u0001\",\"n\":5,\"list\":[true,null,1.5],"
                   "\"bad\":\"\\ufffd ok\",\"raw\":{\"x\":1}}");
}

TEST_CASE("util: passwords in URLs are hidden - nothing else changes") {
  CHECK(util::redact_url_passwords("Put \"https://om:s3cret@dav.example/x\": 403") ==
        "Put \"https://om:***@dav.example/x\": 403");
  CHECK(util::redact_url_passwords("sftp://root@127.0.0.1:22//srv: EOF") ==
        "sftp://root@127.0.0.1:22//srv: EOF");
  CHECK(util::redact_url_passwords("a://u:p@h b://v:q@i/") == "a://u:***@h b://v:***@i/");
  CHECK(util::redact_url_passwords("no url: here @ all") == "no url: here @ all");
  CHECK(util::redact_url_passwords("x://") == "x://");
}
