#include "support/catch.hpp"

#include <om/borg/commands.hpp>

using namespace om;
using Args = borg::cmd::Args;

TEST_CASE("borg commands: archives are REPO::ARCHIVE and options come before the location") {
  CHECK(borg::cmd::location("/srv/repo", "om-web1-2026") == "/srv/repo::om-web1-2026");
  CHECK(borg::cmd::create({"--json", "--stdin-name", "database/app.sql"}, "/r::a",
                          {"-", "/srv/app"}) ==
        Args{"create", "--json", "--stdin-name", "database/app.sql", "/r::a", "-", "/srv/app"});
  CHECK(borg::cmd::extract("/r::a", {"srv/app/uploads"}, 1, true) ==
        Args{"extract", "--strip-components", "1", "--progress", "/r::a", "srv/app/uploads"});
  CHECK(borg::cmd::extract_stdout("/r::a", "database/app.sql", false) ==
        Args{"extract", "--stdout", "/r::a", "database/app.sql"});
  CHECK(borg::cmd::diff("/r::a", "b", {}) == Args{"diff", "--json-lines", "/r::a", "b"});
  CHECK(borg::cmd::list_paths("/r::a", {"database"}) ==
        Args{"list", "--short", "/r::a", "database"});
}

TEST_CASE("borg commands: prune keeps to its prefix and says what it would do") {
  CHECK(borg::cmd::prune("/r", "om-web1-", {"--keep-daily", "7"}, true) ==
        Args{"prune", "--list", "--glob-archives", "om-web1-*", "--dry-run", "--keep-daily", "7",
             "/r"});
  CHECK(borg::cmd::check_archives("/r", "om-web1-2026") ==
        Args{"check", "--archives-only", "--glob-archives", "om-web1-2026", "/r"});
  CHECK(borg::cmd::info_last("/r", 3) == Args{"info", "--json", "--last", "3", "/r"});
  CHECK(borg::cmd::with_lock("/r", {"cat"}) == Args{"with-lock", "/r", "cat"});
  CHECK(borg::cmd::list_archives("/r") == Args{"list", "--json", "/r"});
  CHECK(borg::cmd::list_archives_and_checkpoints("/r") ==
        Args{"list", "--json", "--consider-checkpoints", "/r"});
}

TEST_CASE("borg commands: verification says what it covered, and resumes within a time limit") {
  CHECK(borg::cmd::check_segments("/r", 600) ==
        Args{"check", "--info", "--progress", "--repository-only", "--max-duration", "600", "/r"});
  CHECK(borg::cmd::check_segments("/r", 0) ==
        Args{"check", "--info", "--progress", "--repository-only", "/r"});
  CHECK(borg::cmd::check_archive_metadata("/r", 0) ==
        Args{"check", "--info", "--archives-only", "/r"});
  CHECK(borg::cmd::check_archive_metadata("/r", 3) ==
        Args{"check", "--info", "--archives-only", "--last", "3", "/r"});
  CHECK(borg::cmd::check_verify_data("/r") ==
        Args{"check", "--info", "--progress", "--verify-data", "/r"});
  CHECK(borg::cmd::extract_dry_run("/r::a") == Args{"extract", "--dry-run", "--info", "/r::a"});
}
