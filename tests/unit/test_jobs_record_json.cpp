#include "support/catch.hpp"

#include <om/jobs/record_json.hpp>

using namespace om;

namespace {

jobs::JobRecord sample_record() {
  jobs::JobRecord r;
  r.job.id = "0b1f6a3c-6a52-4c1e-9a39-3f9f9d7f3e11";
  r.job.kind = jobs::Kind::borg;
  r.job.status = jobs::Status::success;
  r.job.requested_by = "cron";
  r.job.started_at = 1795708535;
  r.job.finished_at = 1795708595;
  r.job.duration_ms = 60'000;
  r.details.job_id = r.job.id;
  r.details.host = "web1";
  r.details.origin = "run";
  r.details.log_path = "/var/log/om-backup/backup-20261127-020000.log";
  jobs::TargetResult t;
  t.target = "local";
  t.repository = "/var/backups/om-repo";
  t.status = jobs::Status::success;
  t.archive_name = "om-web1-2026-11-27T02:00:00";
  t.original_size = 1024;
  r.targets.push_back(t);
  changes::TargetSummary c;
  c.target = "local";
  c.summary.basis = "files";
  c.summary.previous_archive = "om-web1-2026-11-26T02:00:00";
  c.summary.add({"uploads/Слава \"quoted\".pdf", "added", std::nullopt, 4096});
  c.summary.add({"uploads/old.bin", "removed", 100, std::nullopt});
  c.summary.add({"app/config.json", "modified", 10, 12});
  r.changes.push_back(c);
  return r;
}

} // namespace

TEST_CASE("record JSON: what the spool keeps comes back whole, what each target changed too") {
  const auto before = sample_record();
  auto after = jobs::record_from_json(jobs::record_to_json(before));
  REQUIRE(after);
  CHECK(after->job.id == before.job.id);
  CHECK(after->job.duration_ms == 60'000);
  CHECK(after->details.log_path == before.details.log_path);
  REQUIRE(after->targets.size() == 1);
  CHECK(after->targets[0].archive_name == before.targets[0].archive_name);
  REQUIRE(after->changes.size() == 1);
  const auto& s = after->changes[0].summary;
  CHECK(after->changes[0].target == "local");
  CHECK(s.basis == "files");
  CHECK(s.previous_archive == "om-web1-2026-11-26T02:00:00");
  CHECK(s.added_files == 1);
  CHECK(s.added_bytes == 4096);
  CHECK(s.removed_files == 1);
  CHECK(s.removed_bytes == 100);
  CHECK(s.modified_files == 1);
  CHECK(s.modified_bytes == 12);
  REQUIRE(s.largest.size() == 3);
  CHECK(s.largest[0].path == "uploads/Слава \"quoted\".pdf");
  CHECK(s.largest[0].change == "added");
  CHECK_FALSE(s.largest[0].size_before);
  CHECK(s.largest[0].size_after == 4096);
}

TEST_CASE("record JSON: a record spooled by an older version (no targets and no changes) reads") {
  auto old = jobs::record_from_json(
      R"({"job": {"id": "0b1f6a3c-6a52-4c1e-9a39-3f9f9d7f3e11", "kind": "files", )"
      R"("status": "success", "requested_by": "cron"}, "details": {"host": "web1", )"
      R"("origin": "run"}, "artifacts": []})");
  REQUIRE(old);
  CHECK(old->targets.empty());
  CHECK(old->changes.empty());
}

TEST_CASE("record JSON: changes without a target or basis are refused - never written half") {
  auto json = jobs::record_to_json(sample_record());
  auto at = json.find("\"basis\":\"files\"");
  REQUIRE(at != std::string::npos);
  json.replace(at, std::string("\"basis\":\"files\"").size(), "\"basis\":\"\"");
  auto read = jobs::record_from_json(json);
  REQUIRE_FALSE(read);
  CHECK(read.error().message.find("without a target or basis") != std::string::npos);
}
