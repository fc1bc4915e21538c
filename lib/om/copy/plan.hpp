#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/copy/rclone_output.hpp>

// What a copy of a borg repository would change at its destination, decided before anything
// is changed, from the two file listings. A borg repository is mostly immutable data segments
// (data/N/M, numbered in the order they were written); each transaction N adds index.N,
// hints.N and integrity.N and removes the previous ones. So a copy normally adds segments;
// deleting many (most archives deleted and compacted) or replacing any (ransomware rewrites
// files in place) is what a damaged repository looks like, and the guard stops it.
namespace om::copy {

// What a file of a repository is.
enum class Role {
  segment,     // data/N/M: `number` is M
  transaction, // index.N, hints.N, integrity.N: `number` is N
  lock,        // lock.exclusive/..., lock.roster: never copied
  other,       // config, README, nonce, ...
};

struct FileName {
  Role role = Role::other;
  std::int64_t number = -1;
};

[[nodiscard]] FileName classify(std::string_view path);

// The newest transaction whose index and hints are both present (-1: none).
[[nodiscard]] std::int64_t newest_transaction(const std::vector<RemoteFile>& files);

struct CopyPlan {
  std::int64_t source_files = 0; // lock files left out
  std::int64_t source_bytes = 0;
  std::int64_t destination_segments = 0; // committed ones (up to its newest transaction)
  std::int64_t destination_segment_bytes = 0;
  std::int64_t new_segments = 0;
  std::int64_t new_bytes = 0;
  std::int64_t deleted_segments = 0;  // committed destination segments the source lacks
  std::int64_t replaced_segments = 0; // committed destination segments of another size
  std::int64_t lost_bytes = 0;        // the size of those deleted and replaced
  std::int64_t deleted_files = 0;     // every file the copy removes from the destination
  std::optional<std::string> refusal; // set: the guard stops the copy
};

// The plan of copying `source` over `destination`. More than `max_delete_percent` of the
// bytes of the destination's committed segments deleted or replaced is a refusal (unless
// `force`). Bytes, not a count: compaction routinely deletes many tiny segments (a superseded
// manifest, a commit tag), and that is no loss of data.
// Segments past the destination's newest transaction are the leftovers of an interrupted copy
// and are neither counted nor protected. Folders in a listing are not files. A path listed
// twice (some clouds allow it) counts once, with its first size.
[[nodiscard]] CopyPlan plan_copy(const std::vector<RemoteFile>& source,
                                 const std::vector<RemoteFile>& destination, int max_delete_percent,
                                 bool force);

// A downloaded copy made consistent: the newest transaction `upto` whose index and hints are
// there, and what must be set aside for borg to open it as it was then (segments and
// transaction files past it: an interrupted copy's partial uploads).
struct Settled {
  std::int64_t transaction = -1;
  std::vector<std::string> set_aside;
};
[[nodiscard]] Settled settle(const std::vector<RemoteFile>& files, std::int64_t upto);

// The transactions of a copy with an index and hints, newest first.
[[nodiscard]] std::vector<std::int64_t> transactions(const std::vector<RemoteFile>& files);

} // namespace om::copy
