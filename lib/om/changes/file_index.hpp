#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <om/util/error.hpp>

namespace om::changes {

// The regular files of one archive as this host backed them up: path → size and mtime. Kept
// per target in the state folder (file-index/<target>), it lets the next backup tell what it
// changed from borg's per-file status alone — unchanged files are neither read nor listed
// again — instead of a `borg diff` that reads both archives (docs/run.md, "Progress and what
// changed").
struct FileState {
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileState&) const = default;
};

struct FileIndex {
  std::string repository;
  std::string archive;
  // What chose the files (a hash of the sources and borg create's exclusion arguments): an
  // index made with other sources or excludes does not describe what the next backup skips.
  std::string selection;
  std::unordered_map<std::string, FileState> files;
};

// The index in its file, or nullopt when there is none. A file that is not an index (or was
// cut short: its last line has no newline) is an error, never a partial index.
[[nodiscard]] Result<std::optional<FileIndex>> load_index(const std::string& path);
// Only its first line: repository, archive and selection, files empty (cheap to decide with).
[[nodiscard]] Result<std::optional<FileIndex>> load_index_header(const std::string& path);
// Written whole under a temporary name and renamed over (no fsync: an index lost in a crash
// costs one borg diff, not a backup).
[[nodiscard]] Result<void> save_index(const std::string& path, const FileIndex& index);
[[nodiscard]] std::string index_path(const std::string& state_dir, const std::string& target);

// The text of an index, and back (for tests and the fuzzer).
[[nodiscard]] std::string render_index(const FileIndex& index);
[[nodiscard]] Result<FileIndex> parse_index(std::string_view text);

} // namespace om::changes
