#pragma once

#include <string>

#include <om/config/cli.hpp>
#include <om/config/options.hpp>
#include <om/jobs/job.hpp>

namespace om::attempt {

// Whom a recorded job tells when it ends, beyond the monitoring pings.
struct NotifySettings {
  std::string sendmail = "sendmail -t"; // reads the message on stdin
  std::string on_success;               // --on-success: a command line
  std::string on_failure;               // --on-failure: a command line
};

// After a job is recorded: mail the result when email_notifications is on (through
// `settings.sendmail`), and run --on-success / --on-failure with OM_JOB_ID, OM_JOB_STATUS,
// OM_JOB_KIND and OM_JOB_ERROR in their environment (to ping Healthchecks and the like). A
// failure here is a warning: it never changes what the job was.
void notify(const config::Options& options, const NotifySettings& settings,
            const jobs::JobRecord& record);

// --sendmail, --on-success and --on-failure; `what` names the job in their help ("backup").
void add_notify_options(config::Cli& cli, NotifySettings& settings, const std::string& what);

} // namespace om::attempt
