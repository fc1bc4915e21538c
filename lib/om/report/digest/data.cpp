#include <om/report/digest/data.hpp>

#include <date/tz.h>

#include <om/config/settings.hpp>
#include <om/jobs/job.hpp>
#include <om/report/copies.hpp>
#include <om/report/reports.hpp>
#include <om/util/cron.hpp>
#include <om/util/strings.hpp>

namespace om::report {
namespace {

std::string first_line_of(const std::optional<std::string>& text) {
  return text ? util::first_line(*text) : std::string();
}

Result<void> read_runs(db::Catalog& catalog, DigestData& d) {
  OM_TRY(rows,
         catalog.query("SELECT j.id, j.kind, j.status, j.error, UNIX_TIMESTAMP(j.created_at), "
                       "j.duration_ms, r.host FROM backup_jobs j LEFT JOIN backup_job_runs r ON "
                       "r.job_id = j.id WHERE j.created_at >= FROM_UNIXTIME(?) AND j.created_at < "
                       "FROM_UNIXTIME(?) AND j.status IN ('success', 'failed', 'cancelled') "
                       "ORDER BY j.created_at, j.id",
                       {d.since, d.until}));
  d.runs.reserve(rows.size());
  for (const auto& row : rows) {
    DigestRun r;
    r.id = row.text(0);
    r.kind = row.text(1);
    r.status = row.text(2);
    r.warned = r.status == "success" && !row.is_null(3);
    r.first_error_line = first_line_of(row.opt_text(3));
    if (r.first_error_line.starts_with("warning: "))
      r.first_error_line.erase(0, 9);
    r.created_at = row.integer(4);
    r.duration_ms = row.opt_integer(5);
    r.host = row.text(6);
    d.runs.push_back(std::move(r));
  }
  return {};
}

// The newest success per backup kind, per target and per copy destination, whenever it was.
Result<void> read_last_success(db::Catalog& catalog, DigestData& d) {
  for (auto kind : jobs::k_all_kinds) {
    if (kind == jobs::Kind::copy)
      continue;
    const std::string name(jobs::to_string(kind));
    OM_TRY(any, newest_job_time(catalog, name, jobs::Status::success));
    OM_TRY(failed, newest_job_time(catalog, name, jobs::Status::failed));
    if (any || failed) // kinds never run are left out
      d.last_success.push_back({name + " backup", any});
  }
  OM_TRY(targets, catalog.query("SELECT target, UNIX_TIMESTAMP(MAX(finished_at)) FROM "
                                "backup_job_targets WHERE status = 'success' GROUP BY target "
                                "ORDER BY target"));
  for (const auto& row : targets)
    d.last_success.push_back({"target " + row.text(0), row.opt_integer(1)});
  OM_TRY(copies, copy_destinations(catalog));
  for (const auto& c : copies)
    d.last_success.push_back(
        {"copy to " + util::redact_url_passwords(c.destination), std::optional(c.finished_at)});
  return {};
}

Result<void> read_growth(db::Catalog& catalog, DigestData& d) {
  OM_TRY(names, catalog.query("SELECT DISTINCT target FROM backup_job_targets"));
  for (const auto& n : names) {
    const auto target = n.text(0);
    OM_TRY(rows, catalog.query("SELECT UNIX_TIMESTAMP(finished_at), original_size, "
                               "compressed_size, deduplicated_size FROM backup_job_targets "
                               "WHERE target = ? AND status = 'success' AND finished_at >= "
                               "FROM_UNIXTIME(?) AND finished_at < FROM_UNIXTIME(?) AND "
                               "original_size IS NOT NULL ORDER BY finished_at",
                               {target, d.since, d.until}));
    auto& points = d.growth[target];
    for (const auto& row : rows)
      points.push_back({row.integer(0), row.integer(1), row.integer(2), row.integer(3)});
    if (points.empty())
      d.growth.erase(target);
  }
  OM_TRY(legacy, catalog.query("SELECT UNIX_TIMESTAMP(j.created_at), a.file_size FROM "
                               "backup_jobs j JOIN backup_artifacts a ON a.job_id = j.id WHERE "
                               "j.created_at >= FROM_UNIXTIME(?) AND j.created_at < "
                               "FROM_UNIXTIME(?) AND j.kind IN ('files', 'db', 'both') AND "
                               "a.artifact_type IN ('files', 'database')",
                               {d.since, d.until}));
  for (const auto& row : legacy)
    d.legacy_bytes.emplace_back(row.integer(0), row.integer(1));
  return {};
}

// How many rows of `table` fall in the period by their `at` column (a page shows the newest 50).
Result<std::int64_t> count_in_period(db::Catalog& catalog, std::string_view table,
                                     std::string_view at, const DigestData& d) {
  const std::string column(at);
  OM_TRY(count,
         catalog.query_one("SELECT COUNT(*) FROM " + std::string(table) + " WHERE " + column +
                               " >= FROM_UNIXTIME(?) AND " + column + " < FROM_UNIXTIME(?)",
                           {d.since, d.until}));
  return count ? count->integer(0) : 0;
}

Result<void> read_prunes_and_drills(db::Catalog& catalog, DigestData& d) {
  OM_TRY(prune_count, count_in_period(catalog, "backup_prune_events", "pruned_at", d));
  d.prune_count = prune_count;
  OM_TRY(prunes, catalog.query("SELECT UNIX_TIMESTAMP(pruned_at), host, store, target FROM "
                               "backup_prune_events WHERE pruned_at >= FROM_UNIXTIME(?) AND "
                               "pruned_at < FROM_UNIXTIME(?) ORDER BY pruned_at DESC, id DESC "
                               "LIMIT 50",
                               {d.since, d.until}));
  for (const auto& row : prunes)
    d.prunes.push_back({row.integer(0), row.text(1), row.text(2), row.text(3)});
  OM_TRY(drills, catalog.query("SELECT UNIX_TIMESTAMP(started_at), host, source, status, error "
                               "FROM backup_restore_drills WHERE started_at >= FROM_UNIXTIME(?) "
                               "AND started_at < FROM_UNIXTIME(?) ORDER BY started_at DESC, "
                               "id DESC LIMIT 50",
                               {d.since, d.until}));
  for (const auto& row : drills)
    d.drills.push_back(
        {row.integer(0), row.text(1), row.text(2), row.text(3), first_line_of(row.opt_text(4))});
  return {};
}

Result<void> read_restores(db::Catalog& catalog, DigestData& d) {
  OM_TRY(restore_count, count_in_period(catalog, "backup_restores", "started_at", d));
  d.restore_count = restore_count;
  OM_TRY(rows, catalog.query("SELECT UNIX_TIMESTAMP(started_at), host, what, source, destination, "
                             "requested_by, status, error FROM backup_restores WHERE started_at "
                             ">= FROM_UNIXTIME(?) AND started_at < FROM_UNIXTIME(?) ORDER BY "
                             "started_at DESC, id DESC LIMIT 50",
                             {d.since, d.until}));
  for (const auto& row : rows)
    d.restores.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4),
                          row.text(5), row.text(6), first_line_of(row.opt_text(7))});
  return {};
}

Result<void> read_schedule(db::Catalog& catalog, DigestData& d) {
  OM_TRY(settings, config::load_settings(catalog));
  auto enabled = settings.find("enabled");
  auto schedule = settings.find("schedule");
  if (schedule == settings.end() || !schedule->second ||
      (enabled != settings.end() && enabled->second && *enabled->second == "0"))
    return {};
  auto parsed = util::CronSchedule::parse(*schedule->second);
  if (!parsed)
    return {}; // config --check says why; the digest shows no next runs
  d.schedule = *schedule->second;
  d.next_runs = util::next_runs(*parsed, d.until, 3, date::current_zone());
  return {};
}

} // namespace

Result<DigestData> collect_digest(db::Catalog& catalog, const config::Options& /*options*/,
                                  std::int64_t since, std::int64_t until) {
  DigestData d;
  d.since = since;
  d.until = until;
  OM_TRY_VOID(read_runs(catalog, d));
  OM_TRY_VOID(read_last_success(catalog, d));
  OM_TRY_VOID(read_growth(catalog, d));
  OM_TRY_VOID(read_prunes_and_drills(catalog, d));
  OM_TRY_VOID(read_restores(catalog, d));
  OM_TRY_VOID(read_schedule(catalog, d));
  return d;
}

} // namespace om::report
