#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace om::borg {

struct ArchiveStats {
  std::int64_t original_size = 0;
  std::int64_t compressed_size = 0;
  std::int64_t deduplicated_size = 0;
  std::int64_t nfiles = 0;
};

// An archive as `borg info --json` or `borg create --json` describes it. Times are naive
// local times of the borg process, as text ("2026-11-21T02:00:00.000000"); we run borg with
// TZ=UTC so they are UTC.
struct Archive {
  std::string name;
  std::string id; // 64 hex: the archive's fingerprint
  std::string start;
  std::string end;
  double duration = 0;
  std::string hostname;
  std::string username;
  std::string comment;
  std::vector<std::string> command_line;
  ArchiveStats stats;
  std::string raw_json; // the archive's whole JSON object, for manifests

  [[nodiscard]] bool is_checkpoint() const { return name.ends_with(".checkpoint"); }
};

// One line of `borg list --json`.
struct ArchiveRef {
  std::string name;
  std::string id;
  std::string start;
  [[nodiscard]] bool is_checkpoint() const { return name.ends_with(".checkpoint"); }
};

struct Repository {
  std::string id;
  std::string location;
  std::string last_modified;
};

struct Listing {
  Repository repository;
  std::vector<ArchiveRef> archives;
};

// `borg info --json REPO` (no archive): the whole repository, from borg's chunk cache.
struct RepositoryStats {
  Repository repository;
  std::string encryption;        // repokey, keyfile-blake2, none, ...
  std::int64_t total_chunks = 0; // chunk references of all archives
  std::int64_t total_size = 0;   // original bytes of all archives
  std::int64_t total_csize = 0;  // compressed bytes of all archives
  std::int64_t unique_chunks = 0;
  std::int64_t unique_size = 0;  // original bytes after deduplication
  std::int64_t unique_csize = 0; // what the repository really holds
};

struct Info {
  Repository repository;
  std::vector<Archive> archives;
};

struct CreateResult {
  Repository repository;
  Archive archive;
};

// One line of `--log-json` stderr.
struct LogLine {
  enum class Type {
    log_message,
    archive_progress,
    progress_message,
    progress_percent,
    file_status,
    other_json,
    text
  };
  Type type = Type::text;
  std::string message;   // log/progress message, file_status's status, or a non-JSON line
  std::string levelname; // ERROR, WARNING, INFO, ...
  std::string msgid;     // e.g. PassphraseWrong, LockTimeout
  std::string name;      // logger, e.g. borg.output.list
  double time = 0;
  // archive_progress
  std::optional<ArchiveStats> progress;
  std::string path; // archive_progress's path, or progress_percent's info (the current item)
  bool finished = false;
  // progress_percent (e.g. extract --progress): how far, in borg's units (bytes)
  std::int64_t current = 0;
  std::int64_t total = 0;
};

// What kind of failure a borg error is, from its msgid (never from message text).
enum class ErrorKind {
  none,
  passphrase_missing,
  passphrase_wrong,
  lock_timeout,
  repo_missing,
  repo_exists,
  other
};

} // namespace om::borg
