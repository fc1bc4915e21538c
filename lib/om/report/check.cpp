#include <om/report/check.hpp>
#include <om/report/copies.hpp>
#include <om/report/targets.hpp>
#include <om/report/verifications.hpp>

#include <algorithm>
#include <functional>

#include <date/tz.h>

#include <om/jobs/integrity.hpp>
#include <om/jobs/job.hpp>
#include <om/report/reports.hpp>
#include <om/util/cron.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {
namespace {

std::string age_text(std::int64_t s) {
  if (s < 3600)
    return std::to_string((s + 30) / 60) + "m";
  if (s < std::int64_t{2} * 86400)
    return std::to_string((s + 1800) / 3600) + "h";
  return std::to_string((s + 43200) / 86400) + "d";
}

const char* state_name(CheckState s) {
  switch (s) {
  case CheckState::ok:
    return "OK";
  case CheckState::warning:
    return "WARNING";
  case CheckState::critical:
    return "CRITICAL";
  case CheckState::unknown:
    return "UNKNOWN";
  }
  return "UNKNOWN";
}

using Raise = std::function<void(CheckState, std::string)>;

// Each further target on its own (backup_job_targets): the job may succeed while one of its
// copies keeps failing.
Result<void> check_targets(db::Catalog& catalog, const CheckOptions& o, std::int64_t now,
                           const Raise& raise) {
  if (o.kind && *o.kind != "borg")
    return {};
  for (const auto& target : o.targets) {
    OM_TRY(success, last_target_success(catalog, target, o.host));
    if (!success)
      raise(CheckState::critical, "no successful backup to target " + target + " recorded");
    else if (now - success->finished_at > o.max_age_s)
      raise(CheckState::critical, "target " + target + " last succeeded " +
                                      age_text(now - success->finished_at) + " ago (max " +
                                      age_text(o.max_age_s) + ")");
    std::vector<db::Value> params{target};
    const auto of_host = host_condition(o.host, "job_id", params);
    OM_TRY(last, catalog.query_one("SELECT status, error FROM backup_job_targets WHERE target = ? "
                                   "AND status <> 'running'" +
                                       of_host + " ORDER BY finished_at DESC LIMIT 1",
                                   params));
    if (last && last->text_view(0) != "success")
      raise(CheckState::warning,
            "target " + target + " " + last->text(0) + ": " + util::first_line(last->text(1)));
  }
  return {};
}

// Each cloud copy destination: its newest copy no older than max-copy-age (WARNING), twice that
// or never (CRITICAL).
Result<void> check_copies(db::Catalog& catalog, const CheckOptions& o, std::int64_t now,
                          const Raise& raise) {
  if (!o.max_copy_age_s)
    return {};
  auto destinations = o.copy_destinations;
  if (destinations.empty()) {
    OM_TRY(recorded, copy_destinations(catalog));
    for (const auto& c : recorded)
      destinations.push_back(c.destination);
  }
  if (destinations.empty())
    raise(CheckState::critical, "--max-copy-age: no copy destination configured or recorded");
  for (const auto& destination : destinations) {
    OM_TRY(last, last_copy(catalog, destination));
    const auto max = *o.max_copy_age_s;
    if (!last)
      raise(CheckState::critical, "no copy to " + destination + " recorded");
    else if (now - last->finished_at > max)
      raise(now - last->finished_at > 2 * max ? CheckState::critical : CheckState::warning,
            "copy to " + destination + " last succeeded " + age_text(now - last->finished_at) +
                " ago (max " + age_text(max) + ")");
  }
  return {};
}

// What om-backup-check found: integrity events not acknowledged, damage not cleared since, and
// data not verified for too long.
Result<void> check_verifications(db::Catalog& catalog, const CheckOptions& o, std::int64_t now,
                                 const Raise& raise) {
  OM_TRY(events, jobs::open_events(catalog));
  for (const auto& e : events)
    raise(CheckState::critical, jobs::describe(e) + ", not acknowledged (om-backup-check --ack " +
                                    std::to_string(e.id) + " --why TEXT)");
  OM_TRY(states, verification_states(catalog));
  for (const auto& s : states) {
    if (s.damage_at)
      raise(CheckState::critical,
            util::first_line(s.damage) + " (" + age_text(now - *s.damage_at) + " ago)");
  }
  if (!o.max_verify_age_s || states.empty()) // om-backup-check is not in use here
    return {};
  for (const auto& target : o.checked_targets) {
    auto data = std::ranges::find_if(states, [&](const VerificationState& s) {
      return s.target == target && s.level == "data";
    });
    if (data == states.end() || !data->last_success_at)
      raise(CheckState::warning, "target " + target + ": data never verified (om-backup-check)");
    else if (now - *data->last_success_at > *o.max_verify_age_s)
      raise(CheckState::warning, "target " + target + ": data last verified " +
                                     age_text(now - *data->last_success_at) + " ago (max " +
                                     age_text(*o.max_verify_age_s) + ")");
  }
  return {};
}

} // namespace

CheckResult unknown_result(const std::string& why) {
  return CheckResult{CheckState::unknown, "OM-BACKUP UNKNOWN - " + util::first_line(why)};
}

Result<CheckResult> check_backups(db::Catalog& catalog, const CheckOptions& o, std::int64_t now) {
  // Without a kind: every backup kind (a copy is not a backup; --max-copy-age checks copies).
  std::string kind_filter = o.kind ? " AND kind = ?" : " AND kind <> 'copy'";
  std::vector<db::Value> kind_param;
  if (o.kind)
    kind_param.emplace_back(*o.kind);
  kind_filter += host_condition(o.host, "j.id", kind_param);
  const std::string what =
      (o.kind ? *o.kind + " backup" : std::string("backup")) + (o.host ? " of " + *o.host : "");

  OM_TRY(success, newest_job_time(catalog, o.kind, jobs::Status::success, {}, o.host));
  // A plain value and a flag: GCC 12 sees std::optional<int64_t> here as maybe-uninitialized.
  const bool has_success = success.has_value();
  const std::int64_t success_at = has_success ? *success : 0;
  OM_TRY(last,
         catalog.query_one("SELECT status, error, UNIX_TIMESTAMP(created_at) FROM backup_jobs j "
                           "WHERE status IN ('success', 'failed', 'cancelled')" +
                               kind_filter + " ORDER BY created_at DESC, id DESC LIMIT 1",
                           kind_param));
  auto params = kind_param;
  params.insert(params.begin(), now - o.max_runtime_s);
  // Per host: a host that has not been heard from for that long is named.
  OM_TRY(running,
         catalog.query("SELECT COALESCE(r.host, 'an unknown host'), COUNT(*) FROM backup_jobs j "
                       "LEFT JOIN backup_job_runs r ON r.job_id = j.id WHERE j.status = 'running' "
                       "AND j.started_at < FROM_UNIXTIME(?)" +
                           kind_filter + " GROUP BY r.host ORDER BY r.host",
                       params));
  std::int64_t long_running = 0;
  std::vector<std::string> running_hosts;
  for (const auto& r : running) {
    long_running += r.integer(1);
    running_hosts.push_back(r.text(0) + " (" + r.text(1) + ")");
  }

  CheckState state = CheckState::ok;
  std::vector<std::string> problems;
  auto raise = [&](CheckState s, std::string why) {
    if (static_cast<int>(s) > static_cast<int>(state))
      state = s;
    problems.push_back(std::move(why));
  };
  if (!has_success)
    raise(CheckState::critical, "no successful " + what + " recorded");
  else if (now - success_at > o.max_age_s)
    raise(CheckState::critical, "last successful " + what + " " + age_text(now - success_at) +
                                    " ago (max " + age_text(o.max_age_s) + ")");
  const auto last_status = last ? jobs::parse_status(last->text_view(0)) : std::nullopt;
  if (last_status == jobs::Status::failed)
    raise(CheckState::critical, "last " + what + " failed: " + util::first_line(last->text(1)));
  else if (last_status == jobs::Status::success && !last->is_null(1))
    raise(CheckState::warning,
          "last " + what + " had warnings: " + util::first_line(last->text(1)));
  OM_TRY_VOID(check_targets(catalog, o, now, raise));
  OM_TRY_VOID(check_copies(catalog, o, now, raise));
  OM_TRY_VOID(check_verifications(catalog, o, now, raise));
  if (long_running > 0)
    raise(CheckState::warning, std::to_string(long_running) + " job(s) running for over " +
                                   age_text(o.max_runtime_s) + " on " +
                                   util::join(running_hosts, ", "));
  if (o.schedule && !o.schedule->empty()) {
    OM_TRY(schedule, util::CronSchedule::parse(*o.schedule));
    // A run due more than max-runtime ago must have started by now.
    if (auto due = schedule.previous(now - o.max_runtime_s, date::current_zone())) {
      auto since = kind_param;
      since.insert(since.begin(), *due);
      OM_TRY(started, catalog.query_one("SELECT COUNT(*) FROM backup_jobs j WHERE created_at >= "
                                        "FROM_UNIXTIME(?)" +
                                            kind_filter,
                                        since));
      if (started && started->integer(0) == 0)
        raise(CheckState::warning,
              "the scheduled run of " +
                  util::format_time(*due, date::current_zone(), "%Y-%m-%d %H:%M") +
                  " did not happen");
    }
  }
  std::string line = "OM-BACKUP " + std::string(state_name(state)) + " - ";
  if (problems.empty())
    line += "last successful " + what + " " + age_text(now - success_at) + " ago";
  else
    line += util::join(problems, "; ");
  line +=
      " | last_success_age=" + (has_success ? std::to_string(now - success_at) : std::string("U")) +
      "s;;" + std::to_string(o.max_age_s) + " long_running=" + std::to_string(long_running);
  return CheckResult{state, line};
}

} // namespace om::report
