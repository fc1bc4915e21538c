#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <om/ping/ping_target.hpp>

namespace om::ping {

enum class Event { start, success, failure };
[[nodiscard]] std::string_view to_string(Event event);

// What a ping tells: which tool on which host, how it ended, the end of its log.
struct Report {
  Event event = Event::start;
  std::string tool; // om-backup-run
  std::string host;
  std::string run_id;           // one per process: pairs a start with its end
  std::optional<int> exit_code; // at the end
  std::optional<std::int64_t> duration_ms;
  std::string message;                 // "OK", or the error's first line
  std::string log_tail;                // the end of the log, at most k_max_log_tail bytes
  std::optional<std::string> job_json; // the job's record as --json prints it, if there is one
};

// Healthchecks.io takes at most 10 KiB of body (and so do we, everywhere).
inline constexpr std::size_t k_max_log_tail = std::size_t{10} * 1024;

struct HttpRequest {
  std::string method; // GET or POST
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
};

// The request a ping of `style` makes for `report`; nullopt when the style has no such event
// (Uptime Kuma knows no start).
//  healthchecks: POST URL/start, URL (success) or URL/<exit code>, ?rid=<run id>, the log tail
//                as the body;
//  uptime-kuma:  GET URL?status=up|down&msg=<message>&ping=<duration ms> (the push URL's own
//                query replaced);
//  ntfy:         POST URL with Title, Priority (2 start, 3 success, 5 failure) and Tags
//                headers, the message and log tail as the body;
//  json:         POST URL, Content-Type application/json: event, tool, host, run_id,
//                exit_code, duration_ms, message, record (the job's record as the tool's
//                --json prints it: job, details, artifacts, targets; or null), log_tail.
[[nodiscard]] std::optional<HttpRequest> request_for(const PingTarget& target,
                                                     const Report& report);

// The last `max` bytes of `text`, cut at a line start (or a UTF-8 character) so no character
// is split.
[[nodiscard]] std::string tail_of(std::string_view text, std::size_t max);

} // namespace om::ping
