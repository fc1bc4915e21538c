#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/sample_app.hpp"

namespace om::test {

// What om-backup-report needs: the catalog.
[[nodiscard]] std::vector<std::string> report_args(const SampleApp& app,
                                                   std::vector<std::string> args);

// om-backup-report follow with its stdout also in `file` as it is written (the tool flushes
// every line), so the test can wait for what it has said so far.
[[nodiscard]] ToolResult follow_into(const SampleApp& app, const std::string& file,
                                     std::vector<std::string> extra);

// One JSON line of follow.
struct FollowEvent {
  std::string type;
  std::string phase;
  std::string status;
  std::int64_t exit_code = -1;
  std::string line;
};

// Every line of `out` as JSON (jq must read the whole output too, checked), as events.
[[nodiscard]] std::vector<FollowEvent> events_of(const std::string& out, const std::string& dir);

[[nodiscard]] bool has(const std::vector<FollowEvent>& events, const std::string& type,
                       const std::string& phase);

} // namespace om::test
