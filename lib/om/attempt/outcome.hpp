#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/jobs/job.hpp>
#include <om/util/exit_status.hpp>
#include <om/util/strings.hpp>

namespace om::attempt {

// How a backup attempt ended: the job's final status and error, and the tool's exit code.
struct Outcome {
  jobs::Status status = jobs::Status::success; // success | failed | cancelled
  std::optional<std::string> error;
  ExitStatus exit = ExitStatus::ok;

  static Outcome failed(ExitStatus exit, std::string error) {
    return Outcome{jobs::Status::failed, std::move(error), exit};
  }
  static Outcome cancelled(std::string why) {
    return Outcome{jobs::Status::cancelled, std::move(why), ExitStatus::interrupted};
  }
  // Success with warning text in `error` (README, "Exit status"): exit 1.
  static Outcome warned(std::string warning) {
    return Outcome{jobs::Status::success, std::move(warning), ExitStatus::warning};
  }
  // Success, with warning text when there are warnings.
  static Outcome succeeded(const std::vector<std::string>& warnings) {
    if (warnings.empty())
      return Outcome{};
    return warned(util::summarize_warnings(warnings));
  }
  [[nodiscard]] bool ok() const { return status == jobs::Status::success; }
};

} // namespace om::attempt
