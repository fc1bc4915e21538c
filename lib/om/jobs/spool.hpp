#pragma once

#include <string>

#include <om/jobs/job.hpp>
#include <om/jobs/record_json.hpp>
#include <om/jobs/store.hpp>
#include <om/util/error.hpp>

namespace om::jobs {

// When the catalog cannot be written, a finished job's record is kept in
// <state-dir>/spool/<job-id>.json (atomic, mode 0600) and written by the next run or sync:
// a backup is never skipped for a catalog outage, and its record is never lost.
[[nodiscard]] Result<std::string> spool_record(const std::string& state_dir,
                                               const JobRecord& record);

struct SpoolFlush {
  std::size_t written = 0;
  std::size_t failed = 0; // unreadable files stay where they are, reported as warnings
};

// Writes every spooled record to the catalog and removes its file once committed.
[[nodiscard]] Result<SpoolFlush> flush_spool(const std::string& state_dir, JobStore& store);

} // namespace om::jobs
