#pragma once

#include <optional>
#include <string>

#include <om/util/exit_status.hpp>

namespace om::run {

// How a backup attempt ended: the job's final status and error, and the tool's exit code.
struct Outcome {
  std::string status = "success"; // success | failed | cancelled
  std::optional<std::string> error;
  ExitStatus exit = ExitStatus::ok;

  static Outcome failed(ExitStatus exit, std::string error) {
    return Outcome{"failed", std::move(error), exit};
  }
  static Outcome cancelled(std::string why) {
    return Outcome{"cancelled", std::move(why), ExitStatus::interrupted};
  }
  // Success with warning text in `error` (DESIGN.md §4): exit 1.
  static Outcome warned(std::string warning) {
    return Outcome{"success", std::move(warning), ExitStatus::warning};
  }
  [[nodiscard]] bool ok() const { return status == "success"; }
};

} // namespace om::run
