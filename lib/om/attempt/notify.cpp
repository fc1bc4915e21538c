#include <om/attempt/notify.hpp>

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <om/mail/message.hpp>
#include <om/mail/sendmail.hpp>
#include <om/proc/run.hpp>
#include <om/util/command_line.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::attempt {
namespace {

constexpr auto k_notify_timeout = std::chrono::seconds(120);

std::string mail_text(const config::Options& options, const jobs::JobRecord& r) {
  const auto& j = r.job;
  const auto* tz = date::current_zone();
  const std::string kind(jobs::to_string(j.kind));
  const std::string status(jobs::to_string(j.status));
  const std::string what = j.kind == jobs::Kind::copy ? "copy" : kind + " backup";
  std::string text = "To: " + mail::header_text(options.notification_email) + "\n";
  text += "Subject: " +
          mail::header_text("[om-backup] " + what + " " + status + " on " + r.details.host) + "\n";
  text += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n";
  text += "Content-Transfer-Encoding: 8bit\n\n";
  text += "Job:       " + j.id + "\nKind:      " + kind + "\nStatus:    " + status + "\n";
  text += "Requested: " + j.requested_by + "\n";
  if (j.started_at)
    text += "Started:   " + util::iso8601(*j.started_at, tz) + "\n";
  if (j.duration_ms)
    text += "Duration:  " + std::to_string(*j.duration_ms / 1000) + " s\n";
  if (j.error)
    text += "Error:     " + util::to_valid_utf8(*j.error) + "\n";
  if (r.details.archive_name)
    text += "Archive:   " + *r.details.archive_name + "\n";
  for (const auto& a : r.artifacts) {
    if (a.type == "copy")
      text += "Copied to: " + a.file_path + "\n";
  }
  if (r.details.log_path)
    text += "Log:       " + *r.details.log_path + "\n";
  return text;
}

void run_quietly(const std::string& what, proc::Command command) {
  command.timeout = k_notify_timeout;
  auto outcome = proc::run(command);
  if (!outcome)
    spdlog::warn("{}: {}", what, outcome.error().message);
  else if (!outcome->success())
    spdlog::warn("{}: {} {}", what, command.argv.front(), outcome->describe());
}

} // namespace

void notify(const config::Options& options, const NotifySettings& settings,
            const jobs::JobRecord& record) {
  if (options.email_notifications && !options.notification_email.empty()) {
    // A mail that cannot be sent is a warning, never a changed job.
    if (auto sent = mail::send(settings.sendmail, mail_text(options, record)); !sent)
      spdlog::warn("mail notification: {}", sent.error().message);
  }
  const bool success = record.job.status == jobs::Status::success;
  const auto& hook = success ? settings.on_success : settings.on_failure;
  if (hook.empty())
    return;
  auto argv = util::split_command(hook);
  if (!argv) {
    spdlog::warn("hook: {}", argv.error().message);
    return;
  }
  proc::Command cmd;
  cmd.argv = *argv;
  cmd.env_set = {{"OM_JOB_ID", record.job.id},
                 {"OM_JOB_STATUS", std::string(jobs::to_string(record.job.status))},
                 {"OM_JOB_KIND", std::string(jobs::to_string(record.job.kind))},
                 {"OM_JOB_ERROR", record.job.error.value_or("")}};
  run_quietly(success ? "--on-success" : "--on-failure", std::move(cmd));
}

void add_notify_options(config::Cli& cli, NotifySettings& settings, const std::string& what) {
  cli.add_option("--sendmail", settings.sendmail,
                 "Mail command for notifications (reads the message on stdin)");
  cli.add_option("--on-success", settings.on_success, "Command to run after a successful " + what);
  cli.add_option("--on-failure", settings.on_failure,
                 "Command to run after a failed or cancelled " + what);
}

} // namespace om::attempt
