#include <om/check/segment_log.hpp>

#include <algorithm>
#include <string_view>

#include <om/util/strings.hpp>

namespace om::check {
namespace {

constexpr std::string_view k_remote = "Remote: ";

// The number after `prefix` when `message` starts with it (borg 1.2 and 1.4 write these lines
// in lower case; later borg capitalises them).
std::optional<std::int64_t> number_after(std::string_view message, std::string_view prefix) {
  if (!util::starts_with_ci(message, prefix))
    return std::nullopt;
  return util::parse_int(util::trim(message.substr(prefix.size())));
}

// Summaries borg logs at ERROR after the damage itself: not damage of their own.
bool is_summary(std::string_view message) {
  return message.starts_with("Finished ") && message.ends_with("errors found.");
}

} // namespace

void SegmentCoverage::observe(const borg::LogLine& line) {
  std::string_view message = line.message;
  if (message.starts_with(k_remote))
    message.remove_prefix(k_remote.size());
  if (line.type == borg::LogLine::Type::progress_percent) {
    if (!line.finished && line.total > 0) {
      position = std::max(position, line.current);
      segment_files = line.total;
    }
    return;
  }
  if (line.type != borg::LogLine::Type::log_message)
    return;
  if (auto n = number_after(message, "skipping to segments >= "))
    first_segment = *n;
  else if (auto last = number_after(message, "finished partial segment check, last segment "
                                             "checked is "))
    last_segment = *last;
  else if (auto end = number_after(message, "finished segment check at segment ")) {
    last_segment = *end;
    cycle_complete = true;
  } else if ((line.levelname == "ERROR" || line.levelname == "CRITICAL") && !is_summary(message))
    damage.emplace_back(message);
}

double SegmentCoverage::cycle_share() const {
  if (cycle_complete)
    return 1.0;
  if (segment_files <= 0 || position < 0)
    return 0.0;
  return std::min(1.0, static_cast<double>(position + 1) / static_cast<double>(segment_files));
}

std::string SegmentCoverage::describe() const {
  std::string out = "segments " + std::to_string(first_segment.value_or(0));
  out += last_segment ? " to " + std::to_string(*last_segment) : std::string(" onwards");
  if (segment_files > 0)
    out += " of " + std::to_string(segment_files) + " segment files";
  if (cycle_complete)
    out += ", cycle complete";
  return out;
}

} // namespace om::check
