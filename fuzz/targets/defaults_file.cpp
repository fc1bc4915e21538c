// my.cnf-style files (--db-defaults-file): whatever the bytes, what is read is a connection a
// client could use: a port number a port can be, text as it was written.
#include <om/db/client_credentials.hpp>

#include "check.hpp"

namespace om::fuzz {

void defaults_file(std::string_view input) {
  auto c = db::parse_defaults(input);
  if (!c)
    return;
  check(c->port <= 65535, "a port that is no port: " + std::to_string(c->port));
  for (const auto* text : {&c->host, &c->socket, &c->user, &c->password, &c->database})
    check(text->find('\n') == std::string::npos, "a value spanning lines");
}

} // namespace om::fuzz
