#include <om/report/metrics.hpp>

#include <algorithm>
#include <map>

#include <om/jobs/integrity.hpp>
#include <om/jobs/job.hpp>
#include <om/report/copies.hpp>
#include <om/report/reports.hpp>
#include <om/report/targets.hpp>
#include <om/report/verifications.hpp>

namespace om::report {
namespace {

struct Family {
  const char* name;
  const char* type;
  const char* help;
  std::vector<std::pair<std::string, std::string>> samples; // labels, value
};

// A label value as the exposition format wants it: backslash, quote and newline escaped.
std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string labels(std::initializer_list<std::pair<const char*, std::string>> l) {
  std::string out = "{";
  for (const auto& [k, v] : l) {
    if (out.size() > 1)
      out += ",";
    out += std::string(k) + "=\"" + escaped(v) + "\"";
  }
  return out + "}";
}

// Several hosts sharing the catalog: each one's own (backup_job_runs.host, by its index).
Result<void> host_samples(db::Catalog& catalog, Family& success, Family& running) {
  OM_TRY(hosts, catalog.query("SELECT DISTINCT host FROM backup_job_runs ORDER BY host"));
  OM_TRY(running_on,
         catalog.query("SELECT r.host, COUNT(*) FROM backup_jobs j JOIN backup_job_runs r ON "
                       "r.job_id = j.id WHERE j.status = 'running' GROUP BY r.host"));
  std::map<std::string, std::string> running_by_host;
  for (const auto& r : running_on)
    running_by_host[r.text(0)] = r.text(1);
  for (const auto& h : hosts) {
    const auto host = h.text(0);
    // Any kind, newest first: found at once for a host that backs up at all. (Per kind, each
    // kind a host never ran is a scan of that kind's history: seconds on a million jobs.)
    OM_TRY(last, newest_job_time(catalog, std::nullopt, jobs::Status::success, {}, host));
    if (last)
      success.samples.emplace_back(labels({{"host", host}}), std::to_string(*last));
    auto n = running_by_host.find(host);
    running.samples.emplace_back(labels({{"host", host}}),
                                 n == running_by_host.end() ? "0" : n->second);
  }
  return {};
}

} // namespace

Result<std::string> prometheus_metrics(db::Catalog& catalog) {
  Family last_success{"om_backup_last_success_timestamp_seconds",
                      "gauge",
                      "When the last successful backup of a kind finished.",
                      {}};
  Family last_attempt{"om_backup_last_attempt_timestamp_seconds",
                      "gauge",
                      "When the last backup attempt of a kind and status was made.",
                      {}};
  Family total{"om_backup_jobs_total", "counter", "Backup jobs recorded, by kind and status.", {}};
  Family duration{"om_backup_last_duration_seconds",
                  "gauge",
                  "Duration of the last successful backup of a kind.",
                  {}};
  Family size{"om_backup_last_size_bytes",
              "gauge",
              "Size of the artifacts of the last successful backup of a kind.",
              {}};
  Family running{"om_backup_running", "gauge", "Backup jobs of a kind running now.", {}};
  Family target_success{"om_backup_target_last_success_timestamp_seconds",
                        "gauge",
                        "When the last successful backup to a target finished.",
                        {}};
  Family target_duration{"om_backup_target_last_duration_seconds",
                         "gauge",
                         "Duration of the last successful backup to a target.",
                         {}};
  Family target_size{"om_backup_target_last_size_bytes",
                     "gauge",
                     "Compressed size of the archive of the last successful backup to a target.",
                     {}};

  Family host_success{"om_backup_host_last_success_timestamp_seconds",
                      "gauge",
                      "When the last successful backup (of any kind) run on a host finished.",
                      {}};
  Family host_running{"om_backup_host_running", "gauge", "Jobs running now on a host.", {}};
  Family copy_success{"om_backup_copy_last_success_timestamp_seconds",
                      "gauge",
                      "When the last successful copy to a cloud destination finished.",
                      {}};
  Family copy_size{"om_backup_copy_last_size_bytes",
                   "gauge",
                   "What a cloud destination held after its last successful copy.",
                   {}};

  Family verified{"om_backup_check_last_success_timestamp_seconds",
                  "gauge",
                  "When om-backup-check last verified a target at a level without finding damage.",
                  {}};
  Family coverage{"om_backup_check_cycle_share",
                  "gauge",
                  "Share of a target verified at a level in the current cycle (1: complete).",
                  {}};
  Family events{"om_backup_integrity_events_open",
                "gauge",
                "Integrity events (vanished archives, anomalies) not acknowledged, by kind.",
                {}};
  Family damage{"om_backup_check_damage",
                "gauge",
                "1 while damage om-backup-check found at a target and level is not cleared.",
                {}};

  // Counting is the one pass over the history; the rest are newest-first index lookups.
  OM_TRY(by_status,
         catalog.query("SELECT kind, status, COUNT(*) FROM backup_jobs GROUP BY kind, status"));
  std::map<std::string, std::int64_t> running_by_kind;
  for (const auto& r : by_status) {
    total.samples.emplace_back(labels({{"kind", r.text(0)}, {"status", r.text(1)}}), r.text(2));
    auto status = jobs::parse_status(r.text_view(1));
    if (!status)
      continue; // a value the UI's enum does not have: nothing to say about it
    if (*status == jobs::Status::running)
      running_by_kind[r.text(0)] = r.integer(2);
    OM_TRY(attempt, newest_job_time(catalog, r.text(0), *status));
    if (attempt)
      last_attempt.samples.emplace_back(labels({{"kind", r.text(0)}, {"status", r.text(1)}}),
                                        std::to_string(*attempt));
  }
  for (auto k : jobs::k_all_kinds) {
    const std::string kind(jobs::to_string(k));
    OM_TRY(last, catalog.query_one(
                     "SELECT UNIX_TIMESTAMP(COALESCE(j.finished_at, j.started_at, j.created_at)), "
                     "j.duration_ms, (SELECT COALESCE(SUM(a.file_size), 0) FROM backup_artifacts a "
                     "WHERE a.job_id = j.id) FROM backup_jobs j WHERE j.kind = ? AND j.status = "
                     "'success' ORDER BY j.created_at DESC, j.id DESC LIMIT 1",
                     {kind}));
    auto l = labels({{"kind", kind}});
    if (last) {
      last_success.samples.emplace_back(l, last->text(0));
      if (!last->is_null(1))
        duration.samples.emplace_back(
            l, std::to_string(static_cast<double>(last->integer(1)) / 1000.0));
      size.samples.emplace_back(l, last->text(2));
    }
    running.samples.emplace_back(l, std::to_string(running_by_kind[kind]));
  }
  OM_TRY(targets, recorded_targets(catalog));
  for (const auto& target : targets) {
    OM_TRY(last, last_target_success(catalog, target));
    if (!last)
      continue;
    auto l = labels({{"target", target}});
    target_success.samples.emplace_back(l, std::to_string(last->finished_at));
    if (last->duration_ms)
      target_duration.samples.emplace_back(
          l, std::to_string(static_cast<double>(*last->duration_ms) / 1000.0));
    if (last->compressed_size)
      target_size.samples.emplace_back(l, std::to_string(*last->compressed_size));
  }
  OM_TRY_VOID(host_samples(catalog, host_success, host_running));
  OM_TRY(copies, copy_destinations(catalog));
  for (const auto& c : copies) {
    auto l = labels({{"destination", c.destination}});
    copy_success.samples.emplace_back(l, std::to_string(c.finished_at));
    copy_size.samples.emplace_back(l, std::to_string(c.bytes));
  }
  OM_TRY(open, jobs::open_events(catalog));
  for (auto kind : {jobs::EventKind::vanished, jobs::EventKind::anomaly})
    events.samples.emplace_back(
        labels({{"kind", jobs::name_of(kind)}}),
        std::to_string(std::ranges::count(open, kind, &jobs::IntegrityEvent::kind)));
  OM_TRY(states, verification_states(catalog));
  for (const auto& v : states) {
    auto l = labels({{"target", v.target}, {"level", v.level}});
    if (v.last_success_at)
      verified.samples.emplace_back(l, std::to_string(*v.last_success_at));
    coverage.samples.emplace_back(l, std::to_string(v.cycle_share));
    damage.samples.emplace_back(l, v.damage_at ? "1" : "0");
  }
  std::string out;
  for (const auto* f :
       {&last_success, &last_attempt, &total, &duration, &size, &running, &target_success,
        &target_duration, &target_size, &host_success, &host_running, &copy_success, &copy_size,
        &verified, &coverage, &damage, &events}) {
    out += std::string("# HELP ") + f->name + " " + f->help + "\n";
    out += std::string("# TYPE ") + f->name + " " + f->type + "\n";
    for (const auto& [l, v] : f->samples)
      out.append(f->name).append(l).append(" ").append(v).append("\n");
  }
  return out;
}

} // namespace om::report
