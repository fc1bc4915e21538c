#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

// The JSON manifest beside every artifact (its manifest_path): what the UI and admins read to
// know what an artifact holds. One builder for every kind, one schema:
// docs/manifest.schema.json, versioned by its "schema" field.
namespace om::jobs {

inline constexpr int k_manifest_schema = 1;

// What every manifest says: the job, where it ran, when. Times are written as ISO 8601 with
// the offset of this machine's zone.
struct ManifestJob {
  std::string origin; // om-backup-run | om-backup-sync | om-backup-copy
  const Job* job = nullptr;
  std::optional<std::string> host;
  std::optional<std::int64_t> finished_at; // default: the job's
  std::optional<std::string> log_path;
};

// A borg archive: the repository, the archive, and borg's own description of it (the raw
// object of `borg info --json` / `borg create --json`, or nothing when borg gave none).
struct ArchiveFacts {
  std::string repository;
  std::string repository_id;
  std::string archive;
  std::string archive_id;
  std::string borg_info_json;          // empty: null
  std::optional<std::string> hostname; // who made the archive, in borg's words
  std::optional<std::string> username;
  std::optional<std::string> borg_version; // the borg that made it, when we did ("1.4.0")
};

// A legacy file: its name, size and hash, what went in (the sources of a .tar.gz, or the
// database of a dump) and how many entries (files or tables), and the tools that made it.
struct FileFacts {
  std::string artifact_type; // files | database
  std::string file;          // the file's name in its folder
  std::int64_t size = 0;
  std::string sha256;
  std::vector<std::string> sources; // files
  std::string database;             // database
  std::int64_t entries = 0;
  std::map<std::string, std::string> tool_versions;
};

// A repository copied to an rclone destination: what was copied where, what the destination
// holds now, and rclone's own transfer statistics (its JSON stats object, summed over the
// copy's steps).
struct CopyFacts {
  std::string target; // the target whose repository was copied (local, offsite, ...)
  std::string repository;
  std::string destination; // REMOTE:PATH
  std::string backup_dir;  // where files the copy replaced or deleted went
  std::int64_t destination_files = 0;
  std::int64_t destination_bytes = 0;
  std::int64_t bytes_transferred = 0; // uploaded (moves into the backup dir not counted)
  std::int64_t files_transferred = 0;
  std::int64_t files_deleted = 0;
  bool checked = false; // borg check --repository-only passed before the copy
  std::string rclone_version;
  // rclone's own statistics, summed over the copy's steps (its byte count includes the
  // server-side moves into the backup dir).
  std::int64_t rclone_bytes = 0;
  std::int64_t rclone_transfers = 0;
  std::int64_t rclone_checks = 0;
  std::int64_t rclone_deletes = 0;
  std::int64_t rclone_renames = 0;
  std::int64_t rclone_errors = 0;
};

[[nodiscard]] std::string archive_manifest(const ManifestJob& m, const ArchiveFacts& a);
[[nodiscard]] std::string file_manifest(const ManifestJob& m, const FileFacts& f);
[[nodiscard]] std::string copy_manifest(const ManifestJob& m, const CopyFacts& c);

// Writes a job's manifest as <state-dir>/manifests/<job-id><suffix>.json (the folders ours and
// private, the file 0640, atomically); returns its path.
[[nodiscard]] Result<std::string> write_manifest_file(const std::string& state_dir,
                                                      const std::string& job_id,
                                                      const std::string& suffix,
                                                      std::string_view text);

} // namespace om::jobs
