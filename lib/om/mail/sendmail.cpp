#include <om/mail/sendmail.hpp>

#include <chrono>

#include <om/proc/run.hpp>
#include <om/util/command_line.hpp>
#include <om/util/strings.hpp>

namespace om::mail {

Result<void> send(const std::string& command, const std::string& message) {
  OM_TRY(argv, util::split_command(command));
  // The message is fed as the command reads; one that stops reading ends with its own words.
  proc::Feed feed;
  feed.write(message);
  feed.close();
  proc::Command cmd;
  cmd.argv = argv;
  cmd.stdin_feed = &feed;
  cmd.timeout = std::chrono::seconds(120);
  std::string complaint;
  proc::Streams streams;
  streams.on_stderr_line = [&complaint](std::string_view line) {
    if (complaint.empty())
      complaint = util::first_line(line);
  };
  OM_TRY(outcome, proc::run(cmd, streams));
  if (!outcome.success())
    return fail(complaint.empty() ? argv.front() + " " + outcome.describe() : complaint);
  return {};
}

} // namespace om::mail
