#include "support/catch.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include <om/mail/message.hpp>
#include <om/util/strings.hpp>

using namespace om;

namespace {

std::string decoded(const std::string& b64) {
  std::vector<unsigned char> out(b64.size());
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  REQUIRE(n >= 0);
  const auto padding = std::count(b64.end() - std::min<std::size_t>(2, b64.size()), b64.end(), '=');
  return {reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n - padding)};
}

} // namespace

TEST_CASE("mail: base64 is RFC 4648's, one line or MIME lines of 76") {
  CHECK(mail::base64("").empty());
  CHECK(mail::base64("f") == "Zg==");
  CHECK(mail::base64("fo") == "Zm8=");
  CHECK(mail::base64("foo") == "Zm9v");
  CHECK(mail::base64("foobar") == "Zm9vYmFy");
  std::string bytes;
  for (int i = 0; i < 10000; ++i)
    bytes += static_cast<char>((i * 7919) & 0xff);
  const auto one = mail::base64(bytes);
  CHECK(one.find('\n') == std::string::npos);
  CHECK(decoded(one) == bytes);
  const auto lines = mail::base64_lines(bytes);
  std::string joined;
  for (auto line : util::split(lines, '\n')) {
    if (line.empty())
      continue;
    REQUIRE(line.ends_with('\r'));
    CHECK(line.size() <= 77);
    joined += line.substr(0, line.size() - 1);
  }
  CHECK(joined == one);
  CHECK(mail::base64_lines("").empty());
}

TEST_CASE("mail: a header is ASCII as it is, else encoded words that lose nothing") {
  CHECK(mail::header_text("[om-backup] borg backup success on web1") ==
        "[om-backup] borg backup success on web1");
  CHECK(mail::header_text("om-backup-run started on ναός") ==
        "=?UTF-8?B?b20tYmFja3VwLXJ1biBzdGFydGVkIG9uIM69zrHPjM+C?=");
  // A line break cannot start a header of its own.
  const auto injected = mail::header_text("web1\r\nBcc: someone@example.org");
  CHECK(injected.find('\r') == std::string::npos);
  CHECK(injected.find('\n') == std::string::npos);
  // Long text: words of at most 75 characters, none splitting a character, all of it there.
  std::string greek;
  for (int i = 0; i < 60; ++i)
    greek += "Ναός ";
  const auto words = mail::header_text(greek);
  std::string back;
  for (auto word : util::split(words, ' ')) {
    CHECK(word.size() <= 75);
    REQUIRE(word.starts_with("=?UTF-8?B?"));
    REQUIRE(word.ends_with("?="));
    const auto part = decoded(std::string(word.substr(10, word.size() - 12)));
    CHECK(util::to_valid_utf8(part) == part);
    back += part;
  }
  CHECK(back == greek);
}
