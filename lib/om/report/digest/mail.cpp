#include <om/report/digest/mail.hpp>

#include <om/mail/message.hpp>
#include <om/util/strings.hpp>

namespace om::report {

std::string digest_message(const DigestText& text, const std::vector<Chart>& pngs,
                           const std::string& to, const std::string& seed) {
  const std::string outer = "om-backup-alt-" + seed;
  const std::string related = "om-backup-rel-" + seed;
  std::string m;
  m += "To: " + mail::header_text(to) + "\r\n";
  m += "Subject: " + mail::header_text(text.subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  // Parameters on lines of their own (folded): a header line stays within 78 characters.
  m += "Content-Type: multipart/alternative;\r\n boundary=\"" + outer + "\"\r\n\r\n";
  m += "This is a MIME message: the digest as text and as a page with charts.\r\n";
  m += "--" + outer + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += mail::base64_lines(util::to_valid_utf8(text.text));
  m += "--" + outer + "\r\n";
  m += "Content-Type: multipart/related;\r\n boundary=\"" + related +
       "\";\r\n type=\"text/html\"\r\n\r\n";
  m += "--" + related + "\r\n";
  m += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += mail::base64_lines(text.html);
  for (const auto& c : pngs) {
    m += "--" + related + "\r\n";
    m += "Content-Type: image/png; name=\"" + c.id + ".png\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "Content-ID: <" + c.id + "@om-backup>\r\n";
    m += "Content-Disposition: inline; filename=\"" + c.id + ".png\"\r\n\r\n";
    m += mail::base64_lines(c.image);
  }
  m += "--" + related + "--\r\n";
  m += "--" + outer + "--\r\n";
  return m;
}

} // namespace om::report
