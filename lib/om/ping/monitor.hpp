#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <om/ping/ping_request.hpp>
#include <om/ping/ping_target.hpp>

namespace om::ping {

// How hard a ping tries: a few attempts with a growing pause between them, each bounded, so a
// monitoring service that is down costs a job seconds, never its outcome.
struct Policy {
  int attempts = 3;
  std::chrono::milliseconds attempt_timeout{3000};
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds first_pause{250}; // then doubled
};

// The pings of one tool's run: `begin` when its work begins (the start ping, once), `end` with
// its exit status (success for 0 and 1, failure otherwise; nothing when it never began). A ping
// that fails is a warning in the log naming the service by its host only; it never changes the
// job.
class Monitor {
public:
  Monitor() = default;
  Monitor(std::vector<PingTarget> targets, std::string tool, Policy policy = {});

  void begin();
  void end(int exit_code, const std::string& error);
  // The job's row (its --json document), for the json style.
  void set_job_json(std::string json) { m_job_json = std::move(json); }
  [[nodiscard]] bool begun() const { return m_begun; }

private:
  void send_all(Report report);
  std::vector<PingTarget> m_targets;
  std::string m_tool;
  Policy m_policy;
  std::string m_host;
  std::string m_run_id;
  bool m_begun = false;
  std::int64_t m_began_ms = 0;
  std::optional<std::string> m_job_json;
};

// The process's monitor: app::run_tool installs it from the options once the command line is
// read; tools tell it when their work begins (om-backup-run once it knows the backup is due)
// and hand it the job's row. Without ping-url it does nothing.
void install(Monitor monitor);
[[nodiscard]] Monitor& current();
inline void work_begins() {
  current().begin();
}

} // namespace om::ping
