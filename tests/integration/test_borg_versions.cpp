// The borg the tools drive: an unsupported one is refused before anything is written, and
// borg 1.4's BORG_EXIT_CODES=modern changes none of the tools' answers.
#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>

#include <sys/stat.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/sample_app.hpp"

using namespace om;
using test::SampleApp;

namespace {

// A program standing in for borg that prints `version` for --version and otherwise only
// leaves a mark that it was asked to do something. A fake, because no borg 2 or 1.1 is
// installable beside the real one here.
std::string fake_borg(const SampleApp& app, const std::string& version) {
  const auto path = app.dir / ("borg-" + version);
  test::write_text(path, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'borg " + version +
                             "'; exit 0; fi\ntouch \"$0.used\"\nexit 2\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

} // namespace

TEST_CASE("borg 2 and borg 1.1 are refused with exit 78 naming the version - no row, no "
          "repository, no other borg command") {
  test::TestCatalog db;
  SampleApp app(db);
  for (const std::string version : {"2.0.0b19", "1.1.18"}) {
    const auto borg = fake_borg(app, version);
    for (const char* tool : {"om-backup-run", "om-backup-sync", "om-backup-prune", "om-backup-copy",
                             "om-backup-restore", "om-backup-check"}) {
      INFO(tool << " with borg " << version);
      std::vector<std::string> args{"--borg", borg};
      if (std::string(tool) == "om-backup-restore")
        args.emplace_back("list");
      auto r = test::run_tool(tool, app.args(args), app.env());
      CHECK(r.exit_code == 78);
      CHECK_THAT(r.err, om::test::Contains("is borg " + version +
                                           ", which om-backup does not support (supported: "
                                           "borg 1.2.x and 1.4.x)"));
      CHECK(std::ranges::count(r.err, '\n') == 1);
    }
    CHECK_FALSE(util::path_exists(borg + ".used"));
  }
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs") == 0);
  CHECK_FALSE(util::path_exists(app.repo));
}

TEST_CASE("borg's version is in the run log's header and the archive's manifest") {
  test::TestCatalog db;
  SampleApp app(db);
  auto r = app.run();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string version(util::trim(test::shell("borg --version | cut -d' ' -f2")));
  const auto log = db.scalar("SELECT log_path FROM backup_job_runs");
  CHECK_THAT(util::first_line(test::read_text(log)), om::test::EndsWith(" borg " + version));
  const auto manifest = db.scalar("SELECT manifest_path FROM backup_artifacts");
  CHECK_THAT(test::read_text(manifest), om::test::Contains("\"borg_version\":\"" + version + "\""));
}

TEST_CASE("BORG_EXIT_CODES=modern or not: another process's borg lock is exit 75, a wrong "
          "passphrase 78") {
  test::TestCatalog db;
  SampleApp app(db);
  REQUIRE(app.run().exit_code == 0);
  const auto env = app.env();
  test::BorgLockHolder holder(app);
  for (const std::string modern : {"", "modern", "legacy"}) {
    INFO("BORG_EXIT_CODES=" << modern);
    auto e = env;
    if (!modern.empty())
      e["BORG_EXIT_CODES"] = modern;
    auto locked = test::run_tool("om-backup-run", app.args(), e);
    CHECK(locked.exit_code == 75);
    CHECK_THAT(locked.err, om::test::Contains("lock"));
  }
  holder.release();
  REQUIRE_FALSE(std::filesystem::exists(app.repo + "/lock.exclusive"));
  for (const std::string modern : {"", "modern"}) {
    INFO("BORG_EXIT_CODES=" << modern);
    auto e = env;
    e["BORG_PASSPHRASE"] = "wrong";
    if (!modern.empty())
      e["BORG_EXIT_CODES"] = modern;
    auto wrong = test::run_tool("om-backup-run", app.args(), e);
    CHECK(wrong.exit_code == 78);
    CHECK_THAT(wrong.err, om::test::Contains("passphrase supplied in BORG_PASSPHRASE"));
  }
  CHECK(db.count("SELECT COUNT(*) FROM backup_jobs WHERE status = 'success'") == 1);
}
