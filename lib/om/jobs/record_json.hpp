#pragma once

#include <string>

#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

namespace om::jobs {

// A job's record as JSON — job, details, artifacts, targets and what each target's archive
// changed —: what the spool keeps, what --json prints for a job and what a ping carries.
[[nodiscard]] std::string record_to_json(const JobRecord& record);
// Reads it back: records spooled by older versions (no targets, no changes) too.
[[nodiscard]] Result<JobRecord> record_from_json(const std::string& json);

} // namespace om::jobs
