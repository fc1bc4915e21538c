#include "support/catch.hpp"

#include <om/borg/parse.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

using namespace om;

namespace {
std::string fixture(const std::string& name) {
  auto text = util::read_file(std::string(OM_FIXTURES_DIR) + "/borg-1.2.4/" + name);
  REQUIRE(text);
  return *text;
}

std::vector<borg::LogLine> lines_of(const std::string& name) {
  std::vector<borg::LogLine> out;
  const auto text = fixture(name);
  for (auto line : util::split(text, '\n')) {
    if (!util::trim(line).empty())
      out.push_back(borg::parse_log_line(line));
  }
  return out;
}

// The first ERROR line's msgid, as borg::Client classifies it.
borg::ErrorKind error_kind_of(const std::string& name) {
  for (const auto& l : lines_of(name)) {
    if (l.type == borg::LogLine::Type::log_message && l.levelname == "ERROR")
      return borg::classify_msgid(l.msgid);
  }
  return borg::ErrorKind::none;
}
} // namespace

TEST_CASE("borg list --json: every archive with its id, checkpoint recognised") {
  auto listing = borg::parse_list(fixture("list.json"));
  REQUIRE(listing);
  CHECK(listing->repository.id ==
        "e60cbd370c62f36e5cad92f28a4931b1de279878a224c94b6270881d62041596");
  REQUIRE(listing->archives.size() == 6);
  CHECK(listing->archives[0].name == "om-web1-2026-11-21T02:00:00");
  CHECK(listing->archives[0].id ==
        "0d7137b2f4111ad6a75466b15c2428bceb39cc094e844a148f4cd5de01fab5a5");
  CHECK(listing->archives[0].start == "2026-11-21T02:00:00.000000");
  CHECK(listing->archives[2].name == "manual-before-upgrade");
  CHECK_FALSE(listing->archives[2].is_checkpoint());
  CHECK(borg::ArchiveRef{"x.checkpoint", "", ""}.is_checkpoint());
}

TEST_CASE("borg info --json: stats, host, user, command line and raw JSON per archive") {
  auto info = borg::parse_info(fixture("info-archives.json"));
  REQUIRE(info);
  REQUIRE(info->archives.size() >= 6);
  const auto& a = info->archives[0];
  CHECK(a.name == "om-web1-2026-11-21T02:00:00");
  CHECK(a.hostname == "vm");
  CHECK(a.username == "root");
  CHECK(a.stats.compressed_size == 100906);
  CHECK(a.stats.nfiles == 21);
  CHECK(a.duration == Approx(0.004496));
  CHECK(a.end == "2026-11-21T02:00:00.000000");
  CHECK(a.command_line.at(1) == "create");
  CHECK(a.raw_json.starts_with("{"));
  CHECK(a.raw_json.find("\"chunker_params\"") != std::string::npos);

  auto last = borg::parse_info(fixture("info-last1.json"));
  REQUIRE(last);
  REQUIRE(last->archives.size() == 1);
  CHECK(last->archives[0].id == "505c12903b4531c9018e94dbb050b50d78e8ca6dbe0b58dd2561aae93843a34e");

  auto repo_only = borg::parse_info(fixture("info-repo.json"));
  REQUIRE(repo_only);
  CHECK(repo_only->archives.empty());
  CHECK(repo_only->repository.location == "/tmp/fx/repo");
}

TEST_CASE("borg create --json: the new archive's id and stats") {
  auto created = borg::parse_create(fixture("create.stdout.json"));
  REQUIRE(created);
  CHECK(created->archive.name == "om-web1-2026-11-20T02:00:00");
  CHECK(created->archive.id == "505c12903b4531c9018e94dbb050b50d78e8ca6dbe0b58dd2561aae93843a34e");
  CHECK(created->archive.stats.compressed_size == 101477);
  CHECK(created->repository.location == "/tmp/fx/repo");
}

TEST_CASE("malformed borg JSON is an error, never an empty listing") {
  auto full = fixture("list.json");
  CHECK_FALSE(borg::parse_list(full.substr(0, full.size() / 2)));
  CHECK_FALSE(borg::parse_list("garbage"));
  CHECK_FALSE(borg::parse_list(""));
  CHECK_FALSE(borg::parse_list("{}"));
  CHECK_FALSE(borg::parse_list(R"({"archives": [], "repository": {}} trailing)"));
  CHECK_FALSE(
      borg::parse_list(R"({"archives": [{"name": "a", "id": "nothex"}], "repository": {}})"));
  CHECK_FALSE(borg::parse_info(fixture("info-archives.json").substr(0, 500)));
  CHECK_FALSE(borg::parse_create(R"({"repository": {}})"));
  auto bad = borg::parse_list("[1,2]");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("borg list") != std::string::npos);
}

TEST_CASE("borg --log-json stderr of create: progress and messages") {
  auto lines = lines_of("create.stderr.jsonl");
  REQUIRE(lines.size() == 10);
  CHECK(lines[0].type == borg::LogLine::Type::archive_progress);
  REQUIRE(lines[0].progress);
  CHECK(lines[0].path == "tmp/fx/data");
  CHECK_FALSE(lines[0].finished);
  CHECK(lines[1].type == borg::LogLine::Type::progress_message);
  CHECK(lines[1].msgid == "cache.begin_transaction");
  CHECK(lines[5].type == borg::LogLine::Type::archive_progress);
  CHECK(lines[5].finished);
}

TEST_CASE("borg errors are classified by msgid on every error fixture") {
  CHECK(error_kind_of("error-lock-timeout.stderr.jsonl") == borg::ErrorKind::lock_timeout);
  CHECK(error_kind_of("error-passphrase-wrong.stderr.jsonl") == borg::ErrorKind::passphrase_wrong);
  CHECK(error_kind_of("error-repo-missing.stderr.jsonl") == borg::ErrorKind::repo_missing);
  // The prompt and the JSON share a line: the JSON is still found.
  CHECK(error_kind_of("error-passphrase-missing.stderr.txt") ==
        borg::ErrorKind::passphrase_missing);
  auto missing = lines_of("error-passphrase-missing.stderr.txt");
  CHECK(missing[1].type == borg::LogLine::Type::text);
  CHECK(missing[1].message == "Warning: Password input may be echoed.");

  auto warning = lines_of("warning-missing-path.stderr.jsonl");
  REQUIRE(warning.size() == 1);
  CHECK(warning[0].levelname == "WARNING");
  CHECK(warning[0].message.find("No such file or directory") != std::string::npos);
  CHECK(borg::classify_msgid("") == borg::ErrorKind::none);
  CHECK(borg::classify_msgid("Something.Else") == borg::ErrorKind::other);
}

TEST_CASE("prune --list --log-json lines keep borg's wording") {
  auto lines = lines_of("prune-dry-run.stderr.jsonl");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].name == "borg.output.list");
  CHECK(lines[0].message.starts_with("Keeping archive (rule: daily #1):"));
  CHECK(lines[1].message.starts_with("Would prune:"));
}

TEST_CASE("borg --log-json stderr of extract --progress: percentages with how far and how much") {
  // As borg 1.2.4 writes them (captured from `borg extract --log-json --progress`).
  auto first = borg::parse_log_line(
      R"({"message": "  5.0% Extracting: src/a", "current": 6647913, "total": 40000000, "info": ["src/a"], )"
      R"("operation": 1, "msgid": "extract", "type": "progress_percent", "finished": false, "time": 1795719089.39})");
  CHECK(first.type == borg::LogLine::Type::progress_percent);
  CHECK(first.message == "  5.0% Extracting: src/a");
  CHECK(first.current == 6647913);
  CHECK(first.total == 40000000);
  CHECK(first.path == "src/a"); // info: the item being extracted
  CHECK_FALSE(first.finished);
  auto last = borg::parse_log_line(
      R"({"operation": 1, "msgid": "extract", "type": "progress_percent", "finished": true, )"
      R"("time": 1795719389.3423755})");
  CHECK(last.type == borg::LogLine::Type::progress_percent);
  CHECK(last.finished);
}

TEST_CASE("borg info --json of a whole repository: the cache's totals") {
  auto stats = borg::parse_repository_info(fixture("info-repo.json"));
  REQUIRE(stats);
  CHECK(stats->repository.location == "/tmp/fx/repo");
  CHECK(stats->encryption == "repokey");
  CHECK(stats->total_chunks == 166);
  CHECK(stats->total_size == 700046);
  CHECK(stats->total_csize == 706582);
  CHECK(stats->unique_chunks == 31);
  CHECK(stats->unique_size == 111527);
  CHECK(stats->unique_csize == 107367);
  // An archive listing is not a repository's info, and half a document is no document.
  CHECK_FALSE(borg::parse_repository_info(fixture("list.json")));
  CHECK_FALSE(borg::parse_repository_info(fixture("info-repo.json").substr(0, 200)));
}

TEST_CASE("borg JSON with an impossible value is refused whole, never stored overflowed") {
  const std::string id(64, 'a');
  auto archive = [&](const std::string& fields) {
    return "{\"name\":\"n\",\"id\":\"" + id + "\"," + fields + "}";
  };
  CHECK(borg::parse_archive_info(
      archive("\"start\":\"2026-01-01T00:00:00.000000\",\"duration\":3.5")));
  auto huge =
      borg::parse_archive_info(archive("\"start\":\"2026-01-01T00:00:00\",\"duration\":1e300"));
  REQUIRE_FALSE(huge);
  CHECK(huge.error().message.find("impossible value: duration") != std::string::npos);
  auto not_time = borg::parse_archive_info(archive("\"start\":\"not a time\""));
  REQUIRE_FALSE(not_time);
  CHECK(not_time.error().message.find("start 'not a time' is not a time") != std::string::npos);
  CHECK_FALSE(borg::parse_archive_info(archive("\"stats\":{\"compressed_size\":1e30}")));
  CHECK_FALSE(borg::parse_archive_info(archive("\"stats\":{\"original_size\":-5}")));
  CHECK_FALSE(borg::parse_listed_archive(archive("\"time\":\"2026-02-30T00:00:00\"")));
}
