#pragma once

#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/progress/snapshot.hpp>
#include <om/util/error.hpp>

namespace om::progress {

// backup_job_progress: one row per job, written whole (insert or replace), read by job id.
[[nodiscard]] Result<void> save(db::Catalog& catalog, const std::string& job_id,
                                const Snapshot& snapshot);
[[nodiscard]] Result<std::optional<Snapshot>> load(db::Catalog& catalog, const std::string& job_id);
// A snapshot from `row`'s columns at..at+10: status, phase, files, bytes_processed,
// compressed_bytes, deduplicated_bytes, current_path, percent, eta_seconds, and the epoch
// seconds of started_at and updated_at (as load selects them).
[[nodiscard]] Snapshot read_snapshot(const db::Row& row, std::size_t at);

// How long the newest successful job of `kind` took (for borg: of the first target,
// `target`), other than `job_id`; nullopt when there is none.
[[nodiscard]] Result<std::optional<std::int64_t>> previous_duration_ms(db::Catalog& catalog,
                                                                       jobs::Kind kind,
                                                                       const std::string& target,
                                                                       const std::string& job_id);

} // namespace om::progress
