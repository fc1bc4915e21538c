#include "support/catch.hpp"

#include <om/util/command_line.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

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

TEST_CASE("strings: sizes as people write them") {
  CHECK(util::parse_bytes("1048576") == 1048576);
  CHECK(util::parse_bytes("512K") == 512 * 1024);
  CHECK(util::parse_bytes("500M") == std::int64_t{500} << 20);
  CHECK(util::parse_bytes("4G") == std::int64_t{4} << 30);
  CHECK(util::parse_bytes("4GiB") == std::int64_t{4} << 30);
  CHECK(util::parse_bytes("4GB") == std::int64_t{4} << 30);
  CHECK(util::parse_bytes("1T") == std::int64_t{1} << 40);
  CHECK(util::parse_bytes("100B") == 100);
  CHECK_FALSE(util::parse_bytes(""));
  CHECK_FALSE(util::parse_bytes("G"));
  CHECK_FALSE(util::parse_bytes("4 G"));
  CHECK_FALSE(util::parse_bytes("4X"));
  CHECK_FALSE(util::parse_bytes("-4G"));
  CHECK_FALSE(util::parse_bytes("4iB"));
  CHECK_FALSE(util::parse_bytes("99999999999T"));
}
