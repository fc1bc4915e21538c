#include <om/ping/monitor.hpp>

#include <thread>

#include <spdlog/spdlog.h>

#include <om/log/logging.hpp>
#include <om/ping/http.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::ping {
namespace {

Monitor& process_monitor() {
  static Monitor monitor;
  return monitor;
}

// One request, tried up to policy.attempts times: again after no answer, a 5xx or a 429.
// Returns "" when it was taken, else why not.
std::string deliver(const HttpRequest& request, const Policy& policy) {
  std::string why;
  auto pause = policy.first_pause;
  for (int attempt = 1; attempt <= policy.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(pause);
      pause *= 2;
    }
    auto status = send_http(request, policy.attempt_timeout, policy.connect_timeout);
    if (status && *status >= 200 && *status < 300)
      return "";
    why = status ? "HTTP " + std::to_string(*status) : status.error().message;
    if (status && *status < 500 && *status != 429)
      return why; // the service refused it: asking again changes nothing
  }
  return why + " (" + std::to_string(policy.attempts) + " attempts)";
}

} // namespace

Monitor::Monitor(std::vector<PingTarget> targets, std::string tool, Policy policy)
    : m_targets(std::move(targets)), m_tool(std::move(tool)), m_policy(policy),
      m_host(util::host_name()), m_run_id(util::uuid_v4()) {}

void Monitor::begin() {
  if (m_begun || m_targets.empty())
    return;
  m_begun = true;
  m_began_ms = util::monotonic_ms();
  Report r;
  r.event = Event::start;
  r.message = "started";
  send_all(std::move(r));
}

void Monitor::end(int exit_code, const std::string& error) {
  if (!m_begun)
    return;
  m_begun = false;
  Report r;
  r.event = exit_code == 0 || exit_code == 1 ? Event::success : Event::failure;
  r.exit_code = exit_code;
  r.duration_ms = util::monotonic_ms() - m_began_ms;
  r.message =
      error.empty() ? (exit_code == 0 ? "OK" : "OK, with warnings") : util::first_line(error);
  r.log_tail = log::recent(k_max_log_tail);
  r.job_json = m_job_json;
  send_all(std::move(r));
}

void Monitor::send_all(Report report) {
  report.tool = m_tool;
  report.host = m_host;
  report.run_id = m_run_id;
  for (const auto& target : m_targets) {
    auto request = request_for(target, report);
    if (!request)
      continue;
    if (auto why = deliver(*request, m_policy); !why.empty())
      spdlog::warn("{} ping to {} ({}) failed: {}; the job is not affected",
                   to_string(target.style), redacted(target.url), to_string(report.event), why);
  }
}

void install(Monitor monitor) {
  process_monitor() = std::move(monitor);
}

Monitor& current() {
  return process_monitor();
}

} // namespace om::ping
