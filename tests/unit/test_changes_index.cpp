#include "support/catch.hpp"

#include <unordered_set>

#include <om/borg/parse.hpp>
#include <om/borg/surrogates.hpp>
#include <om/changes/borg_diff.hpp>
#include <om/changes/collector.hpp>
#include <om/changes/file_index.hpp>
#include <om/changes/tar_listing.hpp>

#include "support/temp_dir.hpp"

using namespace om;
using changes::Change;

namespace {

std::vector<std::pair<std::string, std::string>> kinds(const std::vector<Change>& changes) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : changes)
    out.emplace_back(c.path, c.change);
  return out;
}

} // namespace

TEST_CASE("changes: what borg named and what is gone, against the previous index") {
  test::TempDir dir;
  const auto a = dir / "a";
  const auto b = dir / "b";
  const auto d = dir / "d";
  test::write_text(a, "same");
  test::write_text(b, "grown by a few bytes");
  test::write_text(d, "new");
  changes::FileIndex index{"/repo", "archive-1", "sel", {}};
  index.files[a] = {4, 1};           // not named by borg, still there: unchanged
  index.files[b] = {3, 1};           // changed
  index.files[dir / "c"] = {700, 1}; // gone
  changes::ChangeCollector collector("database/app.sql");
  collector.on_status("M", b);
  collector.on_status("A", d);
  collector.on_status("d", dir.path());         // a folder: not a file change
  collector.on_status("A", "database/app.sql"); // the dump from stdin: no file
  REQUIRE(collector.reported().size() == 2);
  const auto gone = changes::gone_files(index);
  CHECK(gone == std::unordered_set<std::string>{dir / "c"});
  auto s = changes::compare_with_index(index, collector.reported(), gone);
  CHECK(s.basis == "files");
  CHECK(s.previous_archive == "archive-1");
  CHECK(s.added_files == 1);
  CHECK(s.added_bytes == 3);
  CHECK(s.modified_files == 1);
  CHECK(s.modified_bytes == 20);
  CHECK(s.removed_files == 1);
  CHECK(s.removed_bytes == 700);
  // Largest first, named as the archive names them (no leading /).
  CHECK(kinds(s.largest) ==
        std::vector<std::pair<std::string, std::string>>{
            {(dir / "c").substr(1), "removed"}, {b.substr(1), "modified"}, {d.substr(1), "added"}});
  // The index is now the new archive's.
  CHECK(index.files.size() == 3);
  CHECK(index.files.at(a) == changes::FileState{4, 1});
  CHECK(index.files.at(b).size == 20);
  CHECK(index.files.contains(d));

  // A file named again after it was found gone (deleted, then made anew) is not removed.
  changes::FileIndex again{"/repo", "archive-2", "sel", {{d, {3, 1}}}};
  changes::ChangeCollector named("");
  named.on_status("A", d);
  auto s2 = changes::compare_with_index(again, named.reported(), {d});
  CHECK(s2.removed_files == 0);
}

TEST_CASE("changes: every file borg names makes an index - unreadable names are counted") {
  test::TempDir dir;
  test::write_text(dir / "x", "12345");
  changes::ChangeCollector collector("");
  collector.on_status("U", dir / "x");
  collector.on_status("A", dir / "vanished"); // gone before we looked: kept, size unknown
  collector.on_unreadable_status();
  auto index = changes::index_of(collector.reported());
  CHECK(index.files.size() == 2);
  CHECK(index.files.at(dir / "x").size == 5);
  CHECK(collector.unreadable() == 1);
}

TEST_CASE("changes: the summary keeps the largest changes, largest first") {
  changes::Summary s;
  for (int i = 1; i <= 30; ++i)
    s.add(Change{"f" + std::to_string(i), "added", std::nullopt, i});
  s.add(Change{"mode only", "mode", std::nullopt, std::nullopt}); // not counted
  CHECK(s.added_files == 30);
  CHECK(s.added_bytes == 465);
  REQUIRE(s.largest.size() == changes::Summary::k_largest);
  CHECK(s.largest.front().path == "f30");
  CHECK(s.largest.back().path == "f11");
}

TEST_CASE("changes: a file index is read back as written, and a damaged one is refused") {
  changes::FileIndex index{"ssh://backup@far/./repo", "om-host-2026", "ab\tcd", {}};
  index.files["/srv/app/plain"] = {12, 1795804928000000000};
  index.files["/srv/app/back\\slash and\nnewline"] = {0, -5};
  const auto text = changes::render_index(index);
  auto back = changes::parse_index(text);
  REQUIRE(back);
  CHECK(back->repository == index.repository);
  CHECK(back->archive == index.archive);
  CHECK(back->selection == index.selection);
  CHECK(back->files == index.files);
  CHECK_FALSE(changes::parse_index(text.substr(0, text.size() - 1))); // cut short
  CHECK_FALSE(changes::parse_index("something else\n"));
  CHECK_FALSE(changes::parse_index(""));
  CHECK_FALSE(changes::parse_index(text + "12 x /srv/app/bad\n"));
}

TEST_CASE("changes: borg diff --json-lines as changes, timestamps only with --all") {
  auto one = [](std::string_view line, bool all = false) {
    auto parsed = changes::parse_diff_line(line, all);
    REQUIRE(parsed);
    return *parsed;
  };
  auto added = one(R"({"changes": [{"size": 4, "type": "added"}], "path": "t/new"})");
  REQUIRE(added.size() == 1);
  CHECK(added[0].change == "added");
  CHECK(added[0].size_after == 4);
  CHECK_FALSE(added[0].size_before);
  auto removed = one(R"({"changes": [{"size": 5, "type": "removed"}], "path": "t/c"})");
  CHECK(removed[0].change == "removed");
  CHECK(removed[0].size_before == 5);
  // Same chunks, other mode: the mode changed, the content did not.
  CHECK(kinds(one(R"({"changes": [{"added": 0, "removed": 0, "type": "modified"}, {"new_mode":
    "-rw-------", "old_mode": "-rw-r--r--", "type": "mode"}, {"new_ctime": "x", "old_ctime": "y",
    "type": "ctime"}], "path": "t/b"})")) ==
        std::vector<std::pair<std::string, std::string>>{{"t/b", "mode"}});
  CHECK(kinds(one(R"({"changes": [{"added": 13, "removed": 6, "type": "modified"}],
    "path": "t/a"})")) == std::vector<std::pair<std::string, std::string>>{{"t/a", "modified"}});
  CHECK(kinds(one(R"({"changes": [{"type": "changed link"}], "path": "t/l"})")) ==
        std::vector<std::pair<std::string, std::string>>{{"t/l", "link"}});
  CHECK(kinds(one(R"({"changes": [{"type": "added directory"}], "path": "t/new dir"})")) ==
        std::vector<std::pair<std::string, std::string>>{{"t/new dir", "added"}});
  const auto folder = R"({"changes": [{"new_mtime": "a", "old_mtime": "b", "type": "mtime"}],
    "path": "t"})";
  CHECK(one(folder).empty());
  CHECK(kinds(one(folder, true)) ==
        std::vector<std::pair<std::string, std::string>>{{"t", "time"}});
  // A name that is not UTF-8 keeps its bytes.
  auto latin1 = one(R"({"changes": [{"size": 1, "type": "added"}], "path": "caf\udce9"})");
  CHECK(latin1[0].path == "caf\xe9");
  // A real pair of surrogates is a character, not two bytes.
  auto emoji = one(R"({"changes": [{"size": 1, "type": "added"}], "path": "\ud83d\udc00"})");
  CHECK(emoji[0].path == "\xF0\x9F\x90\x80");
  CHECK_FALSE(changes::parse_diff_line("not json", false));
  CHECK_FALSE(changes::parse_diff_line(R"({"path": "x"})", false));
}

TEST_CASE("changes: borg's file status with a name that is not UTF-8 is read with its bytes") {
  auto line = borg::parse_log_line(
      R"({"type": "file_status", "status": "A", "path": "/srv/\udcff\udc80.bin"})");
  CHECK(line.type == borg::LogLine::Type::file_status);
  CHECK(line.message == "A");
  CHECK(line.path == "/srv/\xff\x80.bin");
  // A real private-use character next to an escaped byte cannot be told apart: unreadable.
  CHECK_FALSE(borg::hide_surrogates(R"({"path": "\uf7ff\udcff"})"));
  CHECK(borg::parse_log_line(R"({"type": "file_status", "status": "A", "path": "\uf7ff\udcff"})")
            .type == borg::LogLine::Type::text);
}

TEST_CASE("changes: tar listings are read whatever the names, and compared") {
  changes::TarListing before;
  changes::TarListing after;
  for (auto line : {
           R"(drwxr-xr-x 0/0               0 2026-11-27 18:43:33 "app/")",
           R"(-rw-r--r-- 0/0              32 2026-11-27 18:43:33 "app/index.js")",
           R"(-rw-r--r-- 0/0           20000 2026-11-27 18:43:33 "app/gone.js")",
           R"(lrwxrwxrwx 0/0               0 2026-11-27 18:43:33 "app/link" -> "index.js")",
           R"(-rw-r--r-- 0/0               3 2026-11-27 18:43:33 "app/caf\303\251 \"q\"\n.txt")",
       })
    REQUIRE(changes::add_tar_line(line, before));
  for (auto line : {
           R"(drwxr-xr-x 0/0               0 2026-11-27 18:44:00 "app/")",
           R"(-rw-r--r-- 0/0              36 2026-11-27 18:44:00 "app/index.js")",
           R"(-rw-r--r-- 0/0              19 2026-11-27 18:44:00 "app/new route.js")",
           R"(lrwxrwxrwx 0/0               0 2026-11-27 18:43:33 "app/link" -> "new route.js")",
           R"(-rwx------ 1000/1000         3 2026-11-27 18:43:33 "app/caf\303\251 \"q\"\n.txt")",
       })
    REQUIRE(changes::add_tar_line(line, after));
  CHECK(before.contains("app/caf\xc3\xa9 \"q\"\n.txt"));
  CHECK(before.at("app/link").link == "index.js");
  auto found = changes::compare_listings(before, after, false);
  CHECK(kinds(found) ==
        std::vector<std::pair<std::string, std::string>>{{"app/caf\xc3\xa9 \"q\"\n.txt", "mode"},
                                                         {"app/caf\xc3\xa9 \"q\"\n.txt", "owner"},
                                                         {"app/gone.js", "removed"},
                                                         {"app/index.js", "modified"},
                                                         {"app/link", "link"},
                                                         {"app/new route.js", "added"}});
  CHECK(found[3].size_before == 32);
  CHECK(found[3].size_after == 36);
  CHECK(kinds(changes::compare_listings(before, after, true)).front() ==
        std::pair<std::string, std::string>{"app", "time"});

  changes::TarListing bad;
  CHECK_FALSE(changes::add_tar_line("tar: Removing leading `/' from member names", bad));
  CHECK_FALSE(changes::add_tar_line(R"(-rw-r--r-- 0/0 3 2026-11-27 18:43:33 "unterminated)", bad));
  CHECK_FALSE(changes::add_tar_line(R"(-rw-r--r-- 0/0 x3 2026-11-27 18:43:33 "n")", bad));
  CHECK(bad.empty());
}
