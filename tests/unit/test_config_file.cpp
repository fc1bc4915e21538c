#include "support/catch.hpp"

#include <om/config/config_file.hpp>

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
