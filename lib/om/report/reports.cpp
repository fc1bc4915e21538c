#include <om/jobs/job.hpp>
#include <om/report/reports.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace om::report {
namespace {

util::Cell instant(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? util::Cell(util::Instant{*v}) : util::Cell(std::monostate{});
}
util::Cell integer(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? util::Cell(*v) : util::Cell(std::monostate{});
}
util::Cell text(const db::Row& r, std::size_t i) {
  auto v = r.opt_text(i);
  return v ? util::Cell(*v) : util::Cell(std::monostate{});
}

} // namespace

std::string host_condition(const std::optional<std::string>& host, const std::string& job_id_column,
                           std::vector<db::Value>& params) {
  if (!host)
    return "";
  params.emplace_back(*host);
  return " AND " + job_id_column + " IN (SELECT job_id FROM backup_job_runs WHERE host = ?)";
}

std::string newest_of_host(const std::optional<std::string>& host, std::vector<db::Value>& params) {
  if (!host)
    return "";
  params.emplace_back(*host);
  return " STRAIGHT_JOIN backup_job_runs hr ON hr.job_id = j.id AND hr.host = ?";
}

Result<util::Table> list_jobs(db::Catalog& catalog, const JobFilter& f) {
  std::string where = "1 = 1";
  std::vector<db::Value> params;
  const auto of_host = newest_of_host(f.host, params);
  if (f.kind) {
    where += " AND j.kind = ?";
    params.emplace_back(*f.kind);
  }
  if (f.status) {
    where += " AND j.status = ?";
    params.emplace_back(*f.status);
  }
  if (f.since) {
    where += " AND j.created_at >= FROM_UNIXTIME(?)";
    params.emplace_back(*f.since);
  }
  if (f.until) {
    where += " AND j.created_at < FROM_UNIXTIME(?)";
    params.emplace_back(*f.until);
  }
  params.emplace_back(static_cast<std::int64_t>(f.limit));
  // The newest jobs first (by the created_at index), then their artifacts: never a join
  // over the whole history.
  OM_TRY(rows,
         catalog.query(
             "SELECT j.id, j.kind, j.status, j.requested_by, UNIX_TIMESTAMP(j.started_at), "
             "UNIX_TIMESTAMP(j.finished_at), j.duration_ms, j.error, "
             "UNIX_TIMESTAMP(j.created_at), (SELECT COUNT(*) FROM backup_artifacts a WHERE "
             "a.job_id = j.id), (SELECT COALESCE(SUM(a.file_size), 0) FROM backup_artifacts a "
             "WHERE a.job_id = j.id) FROM backup_jobs j" +
                 of_host + " WHERE " + where + " ORDER BY j.created_at DESC, j.id DESC LIMIT ?",
             params));
  util::Table t{{"id", "kind", "status", "requested_by", "started_at", "finished_at", "duration_ms",
                 "error", "created_at", "artifact_count", "total_size"},
                {}};
  for (const auto& r : rows)
    t.rows.push_back({text(r, 0), text(r, 1), text(r, 2), text(r, 3), instant(r, 4), instant(r, 5),
                      integer(r, 6), text(r, 7), instant(r, 8), integer(r, 9), integer(r, 10)});
  return t;
}

namespace {

// The conditions of `f` on a table of our own with status, started_at and host columns.
std::string started_filter(const JobFilter& f, std::vector<db::Value>& params) {
  std::string where = "1 = 1";
  if (f.status) {
    where += " AND status = ?";
    params.emplace_back(*f.status);
  }
  if (f.since) {
    where += " AND started_at >= FROM_UNIXTIME(?)";
    params.emplace_back(*f.since);
  }
  if (f.until) {
    where += " AND started_at < FROM_UNIXTIME(?)";
    params.emplace_back(*f.until);
  }
  if (f.host) {
    where += " AND host = ?";
    params.emplace_back(*f.host);
  }
  return where;
}

} // namespace

Result<util::Table> list_restores(db::Catalog& catalog, const JobFilter& f) {
  std::vector<db::Value> params;
  const auto where = started_filter(f, params);
  params.emplace_back(static_cast<std::int64_t>(f.limit));
  OM_TRY(rows, catalog.query("SELECT id, what, status, requested_by, host, source, destination, "
                             "UNIX_TIMESTAMP(started_at), UNIX_TIMESTAMP(finished_at), "
                             "duration_ms, bytes_processed, percent, error FROM backup_restores "
                             "WHERE " +
                                 where + " ORDER BY started_at DESC, id DESC LIMIT ?",
                             params));
  util::Table t{{"id", "what", "status", "requested_by", "host", "source", "destination",
                 "started_at", "finished_at", "duration_ms", "bytes", "percent", "error"},
                {}};
  for (const auto& r : rows)
    t.rows.push_back({text(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5),
                      text(r, 6), instant(r, 7), instant(r, 8), integer(r, 9), integer(r, 10),
                      text(r, 11), text(r, 12)});
  return t;
}

Result<util::Table> list_checks(db::Catalog& catalog, const JobFilter& f,
                                const std::optional<std::string>& target) {
  std::vector<db::Value> params;
  auto where = started_filter(f, params);
  if (target) {
    where += " AND target = ?";
    params.emplace_back(*target);
  }
  params.emplace_back(static_cast<std::int64_t>(f.limit));
  OM_TRY(rows, catalog.query("SELECT id, run_id, target, level, status, covered, bytes_read, "
                             "cycle_share, cycle_complete, UNIX_TIMESTAMP(started_at), "
                             "duration_ms, host, error FROM backup_checks WHERE " +
                                 where + " ORDER BY started_at DESC, id DESC LIMIT ?",
                             params));
  util::Table t{{"id", "run_id", "target", "level", "status", "covered", "bytes_read",
                 "cycle_share", "cycle_complete", "started_at", "duration_ms", "host", "error"},
                {}};
  for (const auto& r : rows) {
    auto share = r.opt_text(7);
    t.rows.push_back({integer(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5),
                      integer(r, 6),
                      share ? util::Cell(std::stod(*share)) : util::Cell(std::monostate{}),
                      integer(r, 8), instant(r, 9), integer(r, 10), text(r, 11), text(r, 12)});
  }
  return t;
}

Result<JobDetail> job_detail(db::Catalog& catalog, const std::string& id) {
  OM_TRY(row, catalog.query_one(
                  "SELECT j.id, j.kind, j.status, j.requested_by, UNIX_TIMESTAMP(j.started_at), "
                  "UNIX_TIMESTAMP(j.finished_at), j.duration_ms, j.error, "
                  "UNIX_TIMESTAMP(j.created_at), r.host, r.log_path, r.archive_name FROM "
                  "backup_jobs j LEFT JOIN backup_job_runs r ON r.job_id = j.id WHERE j.id = ?",
                  {id}));
  if (!row)
    return fail("no job " + id + " in backup_jobs");
  const auto& r = *row;
  JobDetail d;
  d.job = util::Table{
      {"id", "kind", "status", "requested_by", "started_at", "finished_at", "duration_ms", "error",
       "created_at", "host", "log_path", "archive"},
      {{text(r, 0), text(r, 1), text(r, 2), text(r, 3), instant(r, 4), instant(r, 5), integer(r, 6),
        text(r, 7), instant(r, 8), text(r, 9), text(r, 10), text(r, 11)}}};
  d.log_path = r.opt_text(10);
  OM_TRY(artifacts, catalog.query("SELECT id, artifact_type, file_path, file_size, sha256, "
                                  "manifest_path, UNIX_TIMESTAMP(created_at) FROM backup_artifacts "
                                  "WHERE job_id = ? ORDER BY created_at, id",
                                  {id}));
  d.artifacts.columns = {"id",     "artifact_type", "file_path", "file_size",
                         "sha256", "manifest_path", "created_at"};
  for (const auto& a : artifacts)
    d.artifacts.rows.push_back(
        {text(a, 0), text(a, 1), text(a, 2), integer(a, 3), text(a, 4), text(a, 5), instant(a, 6)});
  OM_TRY(summaries, changes::load_summaries(catalog, id));
  d.changes.columns = {"target",         "since",         "basis",
                       "added_files",    "added_bytes",   "modified_files",
                       "modified_bytes", "removed_files", "removed_bytes"};
  d.largest.columns = {"target", "path", "change", "size_before", "size_after"};
  auto size = [](const std::optional<std::int64_t>& v) {
    return v ? util::Cell(*v) : util::Cell(std::monostate{});
  };
  for (const auto& t : summaries) {
    const auto& s = t.summary;
    d.changes.rows.push_back(
        {t.target,
         s.previous_archive ? util::Cell(*s.previous_archive) : util::Cell(std::monostate{}),
         s.basis, s.added_files, s.added_bytes, s.modified_files, s.modified_bytes, s.removed_files,
         s.removed_bytes});
    for (const auto& c : s.largest)
      d.largest.rows.push_back(
          {t.target, c.path, c.change, size(c.size_before), size(c.size_after)});
  }
  d.summaries = std::move(summaries);
  return d;
}

namespace {

// PERCENTILE_CONT over a kind's successful durations, read from the (kind, status,
// duration_ms) index at the right offset (from whichever end is nearer) instead of sorting
// the history. `n` is how many there are.
Result<util::Cell> duration_percentile(db::Catalog& catalog, const std::string& kind, double p,
                                       std::int64_t n, const std::string& window,
                                       std::optional<std::int64_t> since,
                                       const std::optional<std::string>& host) {
  if (n <= 0)
    return util::Cell(std::monostate{});
  const double position = p * static_cast<double>(n - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(position));
  const auto hi = std::min(lo + 1, n - 1);
  const bool from_top = lo > n / 2;
  std::vector<db::Value> params{kind};
  if (since)
    params.emplace_back(*since);
  const auto of_host = host_condition(host, "id", params);
  params.emplace_back(from_top ? n - 1 - hi : lo);
  OM_TRY(rows, catalog.query("SELECT duration_ms FROM backup_jobs WHERE kind = ? AND status = "
                             "'success' AND duration_ms IS NOT NULL" +
                                 window + of_host +
                                 " ORDER BY "
                                 "duration_ms " +
                                 (from_top ? "DESC" : "ASC") + " LIMIT 2 OFFSET ?",
                             params));
  if (rows.empty())
    return util::Cell(std::monostate{});
  auto at = [&](std::int64_t i) { // the i-th smallest, among the (at most two) fetched
    auto k = static_cast<std::size_t>(from_top ? hi - i : i - lo);
    return static_cast<double>(rows[std::min(k, rows.size() - 1)].integer(0));
  };
  double v = at(lo) + (position - static_cast<double>(lo)) * (at(hi) - at(lo));
  return util::Cell(static_cast<std::int64_t>(std::llround(v)));
}

} // namespace

Result<std::optional<std::int64_t>>
newest_job_time(db::Catalog& catalog, const std::optional<std::string>& kind, jobs::Status status,
                std::optional<std::int64_t> since, const std::optional<std::string>& host) {
  std::vector<db::Value> params;
  std::string sql =
      "SELECT UNIX_TIMESTAMP(COALESCE(j.finished_at, j.started_at, j.created_at)) FROM "
      "backup_jobs j" +
      newest_of_host(host, params) + " WHERE j.status = ?";
  params.emplace_back(std::string(jobs::to_string(status)));
  if (kind) {
    sql += " AND j.kind = ?";
    params.emplace_back(*kind);
  } else {
    sql += " AND j.kind <> 'copy'";
  }
  if (since) {
    sql += " AND j.created_at >= FROM_UNIXTIME(?)";
    params.emplace_back(*since);
  }
  OM_TRY(row, catalog.query_one(sql + " ORDER BY j.created_at DESC, j.id DESC LIMIT 1", params));
  if (!row || row->is_null(0))
    return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(row->integer(0));
}

Result<util::Table> job_stats(db::Catalog& catalog, std::optional<std::int64_t> since,
                              const std::optional<std::string>& host) {
  const std::string window = since ? " AND created_at >= FROM_UNIXTIME(?)" : "";
  std::vector<db::Value> params;
  if (since)
    params.emplace_back(*since);
  const auto of_host = host_condition(host, "id", params);
  std::vector<db::Value> artifact_params;
  if (since)
    artifact_params.emplace_back(*since);
  const auto artifacts_of_host = host_condition(host, "j.id", artifact_params);
  // One pass over the history (all time: an index-only scan), everything else by index lookups.
  OM_TRY(rows, catalog.query(
                   "SELECT kind, COUNT(*), SUM(status = 'success'), SUM(status = 'failed'), "
                   "SUM(status = 'cancelled'), SUM(status IN ('queued', 'running')), "
                   "MIN(IF(status = 'success', duration_ms, NULL)), MAX(IF(status = 'success', "
                   "duration_ms, NULL)), SUM(status = 'success' AND duration_ms IS NOT NULL) FROM "
                   "backup_jobs WHERE 1 = 1" +
                       window + of_host + " GROUP BY kind ORDER BY kind",
                   params));
  OM_TRY(bytes,
         catalog.query("SELECT j.kind, COALESCE(SUM(a.file_size), 0) FROM backup_artifacts a "
                       "JOIN backup_jobs j ON j.id = a.job_id WHERE 1 = 1" +
                           (since ? std::string(" AND j.created_at >= FROM_UNIXTIME(?)") : "") +
                           artifacts_of_host + " GROUP BY j.kind",
                       artifact_params));
  std::map<std::string, util::Cell> size;
  for (const auto& b : bytes)
    size[b.text(0)] = integer(b, 1);
  util::Table t{{"kind", "total", "success", "failed", "cancelled", "running", "success_rate",
                 "last_success", "last_failure", "duration_min_ms", "duration_median_ms",
                 "duration_p95_ms", "duration_max_ms", "bytes"},
                {}};
  for (const auto& r : rows) {
    auto done = r.integer(2) + r.integer(3) + r.integer(4);
    auto kind = r.text(0);
    std::vector<util::Cell> row{kind,          r.integer(1),  integer(r, 2),
                                integer(r, 3), integer(r, 4), integer(r, 5)};
    if (done > 0) // success rate among finished jobs
      row.emplace_back(static_cast<double>(r.integer(2)) / static_cast<double>(done));
    else
      row.emplace_back(std::monostate{});
    for (auto status : {jobs::Status::success, jobs::Status::failed}) {
      OM_TRY(last, newest_job_time(catalog, kind, status, since, host));
      row.push_back(last ? util::Cell(util::Instant{*last}) : util::Cell(std::monostate{}));
    }
    const auto timed = r.integer(8);
    OM_TRY(median, duration_percentile(catalog, kind, 0.5, timed, window, since, host));
    OM_TRY(p95, duration_percentile(catalog, kind, 0.95, timed, window, since, host));
    row.insert(row.end(), {integer(r, 6), median, p95, integer(r, 7)});
    auto bytes_of = size.find(kind);
    row.emplace_back(bytes_of != size.end() ? bytes_of->second : util::Cell(std::int64_t{0}));
    t.rows.push_back(std::move(row));
  }
  return t;
}

} // namespace om::report
