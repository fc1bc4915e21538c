#include <om/report/digest_mail.hpp>

#include <om/util/strings.hpp>

namespace om::report {

std::string base64_lines(std::string_view data) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(data.size() * 4 / 3 + data.size() / 38 + 8);
  std::size_t column = 0;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const auto b = [&](std::size_t k) {
      return k < data.size() ? static_cast<unsigned char>(data[k]) : 0U;
    };
    const unsigned v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? k_alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < data.size() ? k_alphabet[v & 63] : '=';
    column += 4;
    if (column == 76) {
      out += "\r\n";
      column = 0;
    }
  }
  if (column != 0)
    out += "\r\n";
  return out;
}

namespace {

// A header value with anything beyond ASCII as an RFC 2047 encoded word.
std::string header_text(std::string_view text) {
  bool ascii = true;
  for (char c : text)
    ascii = ascii && static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n';
  if (ascii)
    return std::string(text);
  auto encoded = base64_lines(util::to_valid_utf8(text));
  std::string joined;
  for (char c : encoded) {
    if (c != '\r' && c != '\n')
      joined += c;
  }
  return "=?utf-8?B?" + joined + "?=";
}

} // namespace

std::string digest_message(const DigestText& text, const std::vector<Chart>& pngs,
                           const std::string& to, const std::string& seed) {
  const std::string outer = "om-backup-alt-" + seed;
  const std::string related = "om-backup-rel-" + seed;
  std::string m;
  m += "To: " + header_text(to) + "\r\n";
  m += "Subject: " + header_text(text.subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + outer + "\"\r\n\r\n";
  m += "This is a MIME message: the digest as text and as a page with charts.\r\n";
  m += "--" + outer + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += base64_lines(util::to_valid_utf8(text.text));
  m += "--" + outer + "\r\n";
  m += "Content-Type: multipart/related; boundary=\"" + related + "\"; type=\"text/html\"\r\n\r\n";
  m += "--" + related + "\r\n";
  m += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += base64_lines(text.html);
  for (const auto& c : pngs) {
    m += "--" + related + "\r\n";
    m += "Content-Type: image/png; name=\"" + c.id + ".png\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "Content-ID: <" + c.id + "@om-backup>\r\n";
    m += "Content-Disposition: inline; filename=\"" + c.id + ".png\"\r\n\r\n";
    m += base64_lines(c.image);
  }
  m += "--" + related + "--\r\n";
  m += "--" + outer + "--\r\n";
  return m;
}

} // namespace om::report
