#include <om/mail/message.hpp>

#include <algorithm>
#include <vector>

#include <openssl/evp.h>

#include <om/util/strings.hpp>

namespace om::mail {
namespace {

constexpr std::size_t k_line_bytes = 57;     // 76 base64 characters
constexpr std::size_t k_word_max_bytes = 45; // 60 characters inside "=?UTF-8?B?…?=": 72

void append_base64(std::string& out, std::string_view bytes) {
  std::vector<unsigned char> encoded(((bytes.size() + 2) / 3) * 4 + 1);
  const int n =
      EVP_EncodeBlock(encoded.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  out.append(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(n));
}

bool printable_ascii(std::string_view text) {
  return std::ranges::all_of(text, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u <= 0x7e;
  });
}

} // namespace

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve(((bytes.size() + 2) / 3) * 4);
  for (std::size_t at = 0; at < bytes.size(); at += k_line_bytes * 64)
    append_base64(out, bytes.substr(at, k_line_bytes * 64));
  return out;
}

std::string base64_lines(std::string_view bytes) {
  std::string out;
  out.reserve(((bytes.size() + 2) / 3) * 4 + (bytes.size() / k_line_bytes + 1) * 2);
  for (std::size_t at = 0; at < bytes.size(); at += k_line_bytes) {
    append_base64(out, bytes.substr(at, k_line_bytes));
    out += "\r\n";
  }
  return out;
}

std::string header_text(std::string_view text) {
  if (printable_ascii(text))
    return std::string(text);
  const auto utf8 = util::to_valid_utf8(text);
  std::string out;
  std::string_view rest = utf8;
  while (!rest.empty()) {
    auto cut = std::min(rest.size(), k_word_max_bytes);
    // Back to the start of a character: a continuation byte is 10xxxxxx.
    while (cut < rest.size() && cut > 0 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80)
      --cut;
    if (!out.empty())
      out += ' ';
    out += "=?UTF-8?B?" + base64(rest.substr(0, cut)) + "?=";
    rest.remove_prefix(cut);
  }
  return out;
}

} // namespace om::mail
