#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <om/changes/change.hpp>
#include <om/changes/file_index.hpp>

namespace om::changes {

// The regular files borg create named in its per-file status (--list --log-json), each looked
// at (lstat) as the line streams by: with --filter AMCE only the new and changed ones, which a
// nightly backup has few of; without a filter every file (to make an index from scratch).
// Paths are kept as borg printed them; `skip` (the database dump read from stdin) is no file.
class ChangeCollector {
public:
  explicit ChangeCollector(std::string skip) : m_skip(std::move(skip)) {}

  void on_status(std::string_view status, std::string_view path);
  // A line borg printed for a file that could not be read as JSON: nothing the collector
  // reports can be trusted then.
  void on_unreadable_status() { ++m_unreadable; }

  struct Reported {
    std::string path;
    FileState state;
  };
  [[nodiscard]] const std::vector<Reported>& reported() const { return m_reported; }
  [[nodiscard]] std::int64_t unreadable() const { return m_unreadable; }

private:
  std::string m_skip;
  std::vector<Reported> m_reported;
  std::int64_t m_unreadable = 0;
};

// The files of `index` that are gone from the disk (or are no regular file any more): what a
// backup that names only new and changed files cannot tell. Run beside the backup, on the
// other core; lstat only.
[[nodiscard]] std::unordered_set<std::string> gone_files(const FileIndex& index);

// What changed since the archive `previous` describes, from what borg reported (new and
// changed files) and what is gone: added (not in the index), modified (another size or
// mtime: a chmod is not a modification), removed (gone and not reported again). `previous`
// becomes the index of the new archive. Changes name paths as the archive does (no leading /).
[[nodiscard]] Summary compare_with_index(FileIndex& previous,
                                         const std::vector<ChangeCollector::Reported>& reported,
                                         const std::unordered_set<std::string>& gone);

// The index of an archive every file of which borg reported.
[[nodiscard]] FileIndex index_of(const std::vector<ChangeCollector::Reported>& reported);

// The path as the archive has it (and borg diff and report diff show it).
[[nodiscard]] std::string archive_path(std::string_view path);

} // namespace om::changes
