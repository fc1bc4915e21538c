#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <om/changes/change.hpp>
#include <om/changes/file_index.hpp>

namespace om::changes {

// Tells what a backup changed from borg create's per-file status (--list --log-json), as it
// streams by: a file borg calls unchanged (U) keeps what the previous index knew of it; any
// other regular file is looked at once (lstat) — so only new and changed files cost anything.
// Files of the previous index that the backup never mentioned are removed. Sizes and mtimes
// decide "modified", as for legacy tar listings; a file that only changed its ctime (chmod)
// is not modified. Changes name paths as the archive does (no leading /); the index keeps
// them as borg read them.
class ChangeCollector {
public:
  // `previous`: the index of the previous archive, nullopt when there is none to trust (then
  // nothing is compared: the summary is left to the caller, the new index still made).
  // `skip`: a path that is not a file of the tree (the database dump read from stdin).
  ChangeCollector(std::optional<FileIndex> previous, std::string skip);

  // One file_status line: borg's status letter and the path as borg printed it.
  void on_status(std::string_view status, std::string_view path);
  // A line borg printed for a file that could not be read as JSON (a name that is not UTF-8):
  // the comparison cannot be trusted, and finish() says so.
  void on_unreadable_status() { ++m_unreadable; }

  // The summary (nullopt without a previous index, or with unreadable names) and the index of
  // the new archive (nullopt with unreadable names: an index missing a file would report it
  // removed next time).
  struct Result {
    std::optional<Summary> summary;
    std::optional<FileIndex> index;
    std::int64_t unreadable = 0;
  };
  [[nodiscard]] Result finish(std::string repository, std::string archive);

private:
  std::optional<FileIndex> m_previous;
  std::string m_skip;
  FileIndex m_next;
  Summary m_summary;
  std::int64_t m_unreadable = 0;
};

} // namespace om::changes
