#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <om/changes/change.hpp>

namespace om::jobs {

// What a job does (backup_jobs.kind): back up the legacy files, database or both, or with
// borg; or copy repositories to cloud storage (copy).
enum class Kind { files, db, both, borg, copy };
// Where a job is (backup_jobs.status): queued → running → success | failed | cancelled.
enum class Status { queued, running, success, failed, cancelled };

inline constexpr Kind k_all_kinds[] = {Kind::files, Kind::db, Kind::both, Kind::borg, Kind::copy};
inline constexpr Status k_all_statuses[] = {Status::queued, Status::running, Status::success,
                                            Status::failed, Status::cancelled};

// The column's spelling ("both", "cancelled"), and back; nullopt for anything else.
[[nodiscard]] std::string_view to_string(Kind kind);
[[nodiscard]] std::string_view to_string(Status status);
[[nodiscard]] std::optional<Kind> parse_kind(std::string_view text);
[[nodiscard]] std::optional<Status> parse_status(std::string_view text);

// A row of backup_jobs (the UI's job history). Instants are epoch seconds; they are written
// with FROM_UNIXTIME(?) so they agree with CURRENT_TIMESTAMP in the session's zone.
struct Job {
  std::string id; // lowercase UUID
  Kind kind = Kind::borg;
  Status status = Status::queued;
  std::string requested_by;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::string> error;
  std::optional<std::int64_t> created_at; // nullopt: the server's CURRENT_TIMESTAMP
};

// A row of backup_artifacts.
struct Artifact {
  std::string id;
  std::string job_id;
  std::string type; // files | database | borg | copy
  std::string file_path;
  std::int64_t file_size = 0;
  std::optional<std::string> sha256;
  std::optional<std::string> manifest_path;
};

// om-backup's own details of a job (backup_job_runs).
struct RunDetails {
  std::string job_id;
  std::string host;
  std::optional<std::int64_t> pid;
  std::string origin; // run | sync | spool
  std::optional<std::string> log_path;
  std::optional<std::string> repository;
  std::optional<std::string> archive_name;
  std::optional<std::string> archive_id;
};

// What one target of a borg job did (backup_job_targets): each repository a run writes to
// succeeds or fails alone.
struct TargetResult {
  std::string target; // local, offsite, ...
  std::string repository;
  Status status = Status::running; // running | success | failed | cancelled
  std::optional<std::string> error;
  std::optional<std::string> archive_name;
  std::optional<std::string> archive_id;
  std::optional<std::int64_t> original_size;
  std::optional<std::int64_t> compressed_size;
  std::optional<std::int64_t> deduplicated_size;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::int64_t> duration_ms;
};

// A job with everything recorded about it, as one unit (what the spool holds).
struct JobRecord {
  Job job;
  RunDetails details;
  std::vector<Artifact> artifacts;
  std::vector<TargetResult> targets;           // borg jobs: one per target
  std::vector<changes::TargetSummary> changes; // borg jobs: what each target's archive changed
};

} // namespace om::jobs
