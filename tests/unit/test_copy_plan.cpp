#include "support/catch.hpp"

#include <algorithm>
#include <om/copy/copy_repository.hpp>
#include <om/copy/plan.hpp>
#include <om/copy/rclone_output.hpp>

using namespace om;
using copy::RemoteFile;

namespace {

// A repository after transaction 7: three segments, its index, hints and integrity.
std::vector<RemoteFile> repository() {
  return {{"README", 73},
          {"config", 700},
          {"nonce", 16},
          {"data/0/1", 1000},
          {"data/0/3", 5000},
          {"data/0/7", 17},
          {"index.7", 4000},
          {"hints.7", 90},
          {"integrity.7", 190},
          {"lock.roster", 50},
          {"lock.exclusive/host.1-2", 0}};
}

} // namespace

TEST_CASE("copy plan: file names of a repository") {
  CHECK(copy::classify("data/0/17").role == copy::Role::segment);
  CHECK(copy::classify("data/0/17").number == 17);
  CHECK(copy::classify("data/12/120000").number == 120000);
  CHECK(copy::classify("index.42").role == copy::Role::transaction);
  CHECK(copy::classify("integrity.42").number == 42);
  CHECK(copy::classify("lock.exclusive/x").role == copy::Role::lock);
  CHECK(copy::classify("lock.roster").role == copy::Role::lock);
  for (const char* other : {"config", "README", "data/0/x", "data/0/", "index.", "index.7a",
                            "hints.-1", "data/0/99999999999999999999", "data/x/1"})
    CHECK(copy::classify(other).role == copy::Role::other);
  CHECK(copy::newest_transaction(repository()) == 7);
  // An index without its hints (an upload cut short) is no transaction.
  auto cut = repository();
  cut.push_back({"index.9", 10});
  CHECK(copy::newest_transaction(cut) == 7);
}

TEST_CASE("copy plan: a first copy and an incremental one add segments and delete nothing") {
  auto first = copy::plan_copy(repository(), {}, 20, false);
  CHECK(first.new_segments == 3);
  CHECK(first.new_bytes == 6017);
  CHECK(first.source_files == 9); // lock files are never copied
  CHECK(first.deleted_files == 0);
  CHECK_FALSE(first.refusal);

  auto next = repository();
  next.push_back({"data/0/9", 700});
  next.push_back({"data/0/10", 17});
  std::erase_if(next, [](const RemoteFile& f) {
    return f.path.ends_with(".7") && !f.path.starts_with("data");
  });
  next.insert(next.end(), {{"index.10", 4100}, {"hints.10", 90}, {"integrity.10", 190}});
  auto plan = copy::plan_copy(next, repository(), 20, false);
  CHECK(plan.new_segments == 2);
  CHECK(plan.new_bytes == 717);
  CHECK(plan.deleted_files == 3); // the old index, hints and integrity
  CHECK(plan.deleted_segments == 0);
  CHECK_FALSE(plan.refusal);
}

TEST_CASE("copy plan: the guard counts the bytes of committed segments deleted or replaced") {
  // Compaction removed the small segment 7 (17 bytes): routine, not a loss.
  auto compacted = repository();
  std::erase_if(compacted, [](const RemoteFile& f) { return f.path == "data/0/7"; });
  auto routine = copy::plan_copy(compacted, repository(), 20, false);
  CHECK(routine.deleted_segments == 1);
  CHECK_FALSE(routine.refusal);

  // Segment 3 (5000 of 6017 bytes) is gone: most of the data.
  auto emptied = repository();
  std::erase_if(emptied, [](const RemoteFile& f) { return f.path == "data/0/3"; });
  auto lost = copy::plan_copy(emptied, repository(), 20, false);
  REQUIRE(lost.refusal);
  CHECK(lost.refusal->find("delete 1 of the destination's 3 data segments, 83% of their bytes") !=
        std::string::npos);
  CHECK_FALSE(copy::plan_copy(emptied, repository(), 90, false).refusal);
  CHECK_FALSE(copy::plan_copy(emptied, repository(), 20, true).refusal);

  // A segment rewritten in place (ransomware, a failing disk): segments never change.
  auto rewritten = repository();
  for (auto& f : rewritten)
    if (f.path == "data/0/3")
      f.size = 5016;
  auto replaced = copy::plan_copy(rewritten, repository(), 20, false);
  CHECK(replaced.replaced_segments == 1);
  REQUIRE(replaced.refusal);
  CHECK(replaced.refusal->starts_with("the copy would replace 1 "));

  // Segments past the destination's newest index are an interrupted copy's leftovers.
  auto interrupted = repository();
  interrupted.push_back({"data/0/8", 4}); // half of it arrived
  auto resumed = repository();
  resumed.push_back({"data/0/8", 9000});
  auto after = copy::plan_copy(resumed, interrupted, 20, false);
  CHECK(after.replaced_segments == 0);
  CHECK_FALSE(after.refusal);
}

TEST_CASE("copy plan: a fetched copy is settled at a whole transaction") {
  auto files = repository();
  files.insert(files.end(), {{"data/0/8", 4}, {"data/0/9", 600}, {"index.9", 100}});
  auto settled = copy::settle(files, 7);
  std::sort(settled.set_aside.begin(), settled.set_aside.end());
  CHECK(settled.set_aside == std::vector<std::string>{"data/0/8", "data/0/9", "index.9",
                                                      "lock.exclusive/host.1-2", "lock.roster"});
  CHECK(copy::transactions(files) == std::vector<std::int64_t>{7});
}

TEST_CASE("copy plan: the backup dir beside a destination") {
  CHECK(copy::backup_dir_root("s3:bucket/om-repo").value() == "s3:bucket/om-repo-replaced");
  CHECK(copy::backup_dir_root("sftp:/srv/om/").value() == "sftp:/srv/om-replaced");
  CHECK(copy::backup_dir_for("s3:b/r-replaced", 1795744800) ==
        "s3:b/r-replaced/2026-11-27T020000Z");
  for (const char* root : {"s3:", "s3:/", "remote:///"}) {
    auto r = copy::backup_dir_root(root);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::config);
  }
}

TEST_CASE("rclone output: JSON log lines with their stats - text lines - listings") {
  auto stats = copy::parse_log_line(
      R"({"level":"warning","msg":"\nTransferred: 2.861 MiB\n","source":"accounting/stats.go:482",)"
      R"("stats":{"bytes":3000003,"checks":2,"deletedDirs":0,"deletes":1,"elapsedTime":0.03,)"
      R"("errors":0,"eta":null,"fatalError":false,"renames":0,"speed":1.5e6,"totalBytes":3000003,)"
      R"("totalChecks":0,"totalTransfers":2,"transferTime":0,"transfers":2},"time":"x"})");
  CHECK(stats.parsed);
  REQUIRE(stats.stats);
  CHECK(stats.stats->bytes == 3000003);
  CHECK(stats.stats->transfers == 2);
  CHECK(stats.stats->deletes == 1);
  CHECK(stats.stats->speed == 1.5e6);
  CHECK_FALSE(stats.stats->eta);

  auto copied = copy::parse_log_line(
      R"j({"level":"info","msg":"Copied (new)","object":"data/0/1","objectType":"*local.Object"})j");
  CHECK(copied.level == "info");
  CHECK(copied.message == "Copied (new)");
  CHECK(copied.object == "data/0/1");
  CHECK_FALSE(copied.stats);

  auto text = copy::parse_log_line("2026/11/27 13:26:34 Failed to create file system");
  CHECK_FALSE(text.parsed);
  CHECK(text.message == "2026/11/27 13:26:34 Failed to create file system");
  // Out-of-range and negative numbers are never counts.
  auto odd = copy::parse_log_line(R"({"level":"info","stats":{"bytes":-5,"transfers":1e300}})");
  REQUIRE(odd.stats);
  CHECK(odd.stats->bytes == 0);
  CHECK(odd.stats->transfers == 0);

  auto listing =
      copy::parse_listing(R"([{"Path":"data","Name":"data","Size":-1,"IsDir":true},)"
                          R"({"Path":"data/0/1","Name":"1","Size":3000000,"IsDir":false}])");
  REQUIRE(listing);
  REQUIRE(listing->size() == 2);
  CHECK(listing->at(0).is_dir);
  CHECK(listing->at(1).size == 3000000);
  for (const char* bad : {"", "{}", "[1]", R"([{"Path":"a"}])", R"([{"Path":"a","Size":-3}])",
                          R"([{"Path":"a","Size":1})"})
    CHECK_FALSE(copy::parse_listing(bad));
}
