#include "support/catch.hpp"

#include <om/util/strings.hpp>

#include "support/offsite.hpp"
#include "support/sample_app.hpp"

using namespace om;
using test::Offsite;
using test::SampleApp;

namespace {

// A tree of 10,000 small files under the app's uploads (100 folders of 100).
void make_tree(const SampleApp& app) {
  (void)test::shell("python3 -c " +
                    test::q("import os, sys\n"
                            "root = sys.argv[1]\n"
                            "for d in range(100):\n"
                            "  os.makedirs(f'{root}/{d:02}', exist_ok=True)\n"
                            "  for f in range(100):\n"
                            "    open(f'{root}/{d:02}/{f:03}.txt', 'w').write("
                            "f'upload {d} {f}\\n')\n") +
                    " " + test::q(app.prod + "/uploads/tree"));
}

// Rewrites the first `files` files of the tree (in folder order), as a night's work or
// ransomware would.
void rewrite(const SampleApp& app, int files, const std::string& content) {
  (void)test::shell("python3 -c " +
                    test::q("import sys\n"
                            "root, n, text = sys.argv[1], int(sys.argv[2]), "
                            "sys.argv[3]\n"
                            "for i in range(n):\n"
                            "  d, f = divmod(i, 100)\n"
                            "  open(f'{root}/{d:02}/{f:03}.txt', 'w').write("
                            "text + str(i) + '\\n')\n") +
                    " " + test::q(app.prod + "/uploads/tree") + " " + std::to_string(files) + " " +
                    test::q(content));
}

} // namespace

TEST_CASE("anomaly: rewriting 60 % of a 10,000-file tree warns, freezes prune on every target "
          "until acknowledged - ordinary nights do not") {
  test::TestCatalog db;
  SampleApp app(db);
  make_tree(app);
  Offsite offsite(app, "prune = yes\n", false);
  auto first = offsite.run();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  // Ordinary nights: about 1 % of the files change.
  for (int night = 1; night <= 4; ++night) {
    rewrite(app, 100, "night " + std::to_string(night) + " ");
    auto r = offsite.run();
    INFO("night " << night << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  }
  CHECK(db.scalar("SELECT COUNT(*) FROM backup_integrity_events") == "0");

  const auto local_count = test::lines_of(app.borg({"list", "--short", app.repo})).size();
  const auto offsite_count = offsite.archives().size();

  // Ransomware: 6,000 files rewritten.
  rewrite(app, 6000, "encrypted ");
  auto hit = offsite.run();
  INFO(hit.err);
  CHECK(hit.exit_code == 1);
  CHECK(hit.err.find("anomaly: this backup modified 6000 files: over 5 × the median 100 of the "
                     "last 4 backups, and over 500") != std::string::npos);
  const auto job = db.scalar("SELECT id FROM backup_jobs ORDER BY created_at DESC LIMIT 1");
  CHECK(db.scalar("SELECT status FROM backup_jobs WHERE id = '" + job + "'") == "success");
  CHECK(db.scalar("SELECT error FROM backup_jobs WHERE id = '" + job + "'")
            .starts_with("warning: target local: anomaly: this backup modified 6000 files"));
  CHECK(db.scalar("SELECT CONCAT(kind, ' ', target, ' ', job_id) FROM "
                  "backup_integrity_events") == "anomaly local " + job);
  // The run that found it pruned nothing, on either target (its prune step would have: the
  // retention keeps the newest and the oldest archive of an hour), and its log says why.
  const auto local_before = test::lines_of(app.borg({"list", "--short", app.repo}));
  const auto offsite_before = offsite.archives();
  CHECK(local_before.size() == local_count + 1);
  CHECK(offsite_before.size() == offsite_count + 1);
  const auto log = test::read_text(
      db.scalar("SELECT log_path FROM backup_job_runs WHERE job_id = '" + job + "'"));
  CHECK(log.find("target offsite: prune skipped: nothing is pruned while event 1: backup ") !=
        std::string::npos);

  // The next prune deletes nothing on any target and says why.
  const std::vector<std::string> keep_one{"--keep-hourly", "0", "--keep-daily",   "1",
                                          "--keep-weekly", "0", "--keep-monthly", "0"};
  auto frozen = offsite.tool("om-backup-prune", keep_one);
  CHECK(frozen.exit_code == 1);
  CHECK(frozen.err.find("om-backup-prune: warning: nothing is pruned while event 1: backup ") !=
        std::string::npos);
  CHECK(test::lines_of(app.borg({"list", "--short", app.repo})) == local_before);
  CHECK(offsite.archives() == offsite_before);
  CHECK(offsite.report({"check", "--max-verify-age", "0"}).exit_code == 2);

  // Acknowledged: prune goes on.
  auto ack = offsite.tool("om-backup-check", {"--ack", "1", "--why", "the tree was migrated"});
  INFO(ack.err);
  REQUIRE(ack.exit_code == 0);
  auto pruned = offsite.tool("om-backup-prune", keep_one);
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK(test::lines_of(app.borg({"list", "--short", app.repo})).size() == 1);
  CHECK(offsite.archives().size() == 1);
  // Monitoring: the anomalous backup's warning, no open event.
  auto check = offsite.report({"check", "--max-verify-age", "0"});
  INFO(check.out);
  CHECK(check.exit_code == 1);
  CHECK(check.out.find("event 1") == std::string::npos);
}
