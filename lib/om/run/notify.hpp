#pragma once

#include <om/config/options.hpp>
#include <om/jobs/job.hpp>
#include <om/run/request.hpp>

namespace om::run {

// After a job is recorded: mail the result when email_notifications is on (through
// `sendmail -t`, configurable), and run --on-success / --on-failure with OM_JOB_ID,
// OM_JOB_STATUS, OM_JOB_KIND and OM_JOB_ERROR in their environment (to ping Healthchecks and
// the like). A failure here is a warning: it never changes what the job was.
void notify(const config::Options& options, const RunRequest& request,
            const jobs::JobRecord& record);

} // namespace om::run
