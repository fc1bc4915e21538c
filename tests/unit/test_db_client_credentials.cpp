#include "support/catch.hpp"

#include <om/db/client_credentials.hpp>

using namespace om;

TEST_CASE("my.cnf: [client] then [om-backup] are read, other groups ignored, a port is a port") {
  auto c = db::parse_defaults("[client]\nuser = om\npassword = \"two words\"\nport = 3306\n"
                              "[mysqld]\nport = 99999\nsocket = /nope\n"
                              "[om-backup]\nsocket=/run/mysqld/mysqld.sock\n");
  REQUIRE(c);
  CHECK(c->user == "om");
  CHECK(c->password == "two words");
  CHECK(c->port == 3306);
  CHECK(c->socket == "/run/mysqld/mysqld.sock");
  auto empty = db::parse_defaults("[client]\nport =\n");
  REQUIRE(empty);
  CHECK(empty->port == 0); // unset: the client's default
  for (const char* bad : {"[client]\nport = 65536\n", "[client]\nport = -1\n",
                          "[client]\nport = 4294967299\n", "[client]\nport = 33o6\n"}) {
    auto r = db::parse_defaults(bad);
    CHECK_FALSE(r);
    if (!r)
      CHECK(r.error().status == ExitStatus::config);
  }
}
