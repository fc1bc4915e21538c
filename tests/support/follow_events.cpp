#include "support/follow_events.hpp"

#include <algorithm>

#include "support/catch.hpp"
#include <simdjson.h>

namespace om::test {

std::vector<std::string> report_args(const SampleApp& app, std::vector<std::string> args) {
  auto out = app.db.tool_args();
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

ToolResult follow_into(const SampleApp& app, const std::string& file,
                       std::vector<std::string> extra) {
  std::vector<std::string> args = report_args(app, {"follow"});
  args.insert(args.end(), extra.begin(), extra.end());
  return run_tool_via(
      {"sh", "-c", "\"$@\" >'" + file + "'; rc=$?; cat '" + file + "'; exit $rc", "sh"},
      "om-backup-report", args, app.env());
}

std::vector<FollowEvent> events_of(const std::string& out, const std::string& dir) {
  write_text(dir + "/follow.out", out);
  auto jq = shell("jq -c . " + dir + "/follow.out");
  CHECK(lines_of(jq).size() == lines_of(out).size());
  std::vector<FollowEvent> events;
  simdjson::dom::parser parser;
  for (const auto& line : lines_of(out)) {
    simdjson::dom::object o = parser.parse(line);
    FollowEvent e;
    e.type = std::string(std::string_view(o["type"].get_string()));
    if (o["phase"].error() == simdjson::SUCCESS)
      e.phase = std::string(std::string_view(o["phase"].get_string()));
    if (o["status"].error() == simdjson::SUCCESS)
      e.status = std::string(std::string_view(o["status"].get_string()));
    if (o["exit_code"].error() == simdjson::SUCCESS)
      e.exit_code = o["exit_code"].get_int64();
    if (o["line"].error() == simdjson::SUCCESS)
      e.line = std::string(std::string_view(o["line"].get_string()));
    events.push_back(std::move(e));
  }
  return events;
}

bool has(const std::vector<FollowEvent>& events, const std::string& type,
         const std::string& phase) {
  return std::ranges::any_of(events, [&](const FollowEvent& e) {
    return e.type == type && (phase.empty() || e.phase == phase);
  });
}

} // namespace om::test
