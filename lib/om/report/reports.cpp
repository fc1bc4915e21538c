#include <om/report/reports.hpp>

#include <algorithm>
#include <map>

namespace om::report {
namespace {

Cell instant(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? Cell(Instant{*v}) : Cell(std::monostate{});
}
Cell integer(const db::Row& r, std::size_t i) {
  auto v = r.opt_integer(i);
  return v ? Cell(*v) : Cell(std::monostate{});
}
Cell text(const db::Row& r, std::size_t i) {
  auto v = r.opt_text(i);
  return v ? Cell(*v) : Cell(std::monostate{});
}

} // namespace

Result<Table> list_jobs(db::Catalog& catalog, const JobFilter& f) {
  std::string where = "1 = 1";
  std::vector<db::Value> params;
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
  OM_TRY(rows, catalog.query(
                   "SELECT j.id, j.kind, j.status, j.requested_by, UNIX_TIMESTAMP(j.started_at), "
                   "UNIX_TIMESTAMP(j.finished_at), j.duration_ms, j.error, "
                   "UNIX_TIMESTAMP(j.created_at), (SELECT COUNT(*) FROM backup_artifacts a WHERE "
                   "a.job_id = j.id), (SELECT COALESCE(SUM(a.file_size), 0) FROM backup_artifacts a "
                   "WHERE a.job_id = j.id) FROM backup_jobs j WHERE " + where +
                   " ORDER BY j.created_at DESC, j.id DESC LIMIT ?",
                   params));
  Table t{{"id", "kind", "status", "requested_by", "started_at", "finished_at", "duration_ms",
           "error", "created_at", "artifact_count", "total_size"},
          {}};
  for (const auto& r : rows)
    t.rows.push_back({text(r, 0), text(r, 1), text(r, 2), text(r, 3), instant(r, 4), instant(r, 5),
                      integer(r, 6), text(r, 7), instant(r, 8), integer(r, 9), integer(r, 10)});
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
  d.job = Table{{"id", "kind", "status", "requested_by", "started_at", "finished_at", "duration_ms",
                 "error", "created_at", "host", "log_path", "archive"},
                {{text(r, 0), text(r, 1), text(r, 2), text(r, 3), instant(r, 4), instant(r, 5),
                  integer(r, 6), text(r, 7), instant(r, 8), text(r, 9), text(r, 10), text(r, 11)}}};
  d.log_path = r.opt_text(10);
  OM_TRY(artifacts, catalog.query("SELECT id, artifact_type, file_path, file_size, sha256, "
                                  "manifest_path, UNIX_TIMESTAMP(created_at) FROM backup_artifacts "
                                  "WHERE job_id = ? ORDER BY created_at, id",
                                  {id}));
  d.artifacts.columns = {"id", "artifact_type", "file_path", "file_size", "sha256", "manifest_path",
                         "created_at"};
  for (const auto& a : artifacts)
    d.artifacts.rows.push_back({text(a, 0), text(a, 1), text(a, 2), integer(a, 3), text(a, 4),
                                text(a, 5), instant(a, 6)});
  return d;
}

Result<Table> job_stats(db::Catalog& catalog, std::optional<std::int64_t> since) {
  std::string where = since ? " WHERE created_at >= FROM_UNIXTIME(?)" : "";
  std::vector<db::Value> params;
  if (since)
    params.emplace_back(*since);
  OM_TRY(rows, catalog.query(
                   "SELECT kind, COUNT(*), SUM(status = 'success'), SUM(status = 'failed'), "
                   "SUM(status = 'cancelled'), SUM(status IN ('queued', 'running')), "
                   "UNIX_TIMESTAMP(MAX(IF(status = 'success', COALESCE(finished_at, started_at), NULL))), "
                   "UNIX_TIMESTAMP(MAX(IF(status = 'failed', COALESCE(finished_at, started_at), NULL))), "
                   "MIN(IF(status = 'success', duration_ms, NULL)), MAX(IF(status = 'success', "
                   "duration_ms, NULL)) FROM backup_jobs" + where + " GROUP BY kind ORDER BY kind",
                   params));
  // Median and 95th percentile of successful runs' durations, per kind.
  OM_TRY(percentiles, catalog.query(
                          "SELECT DISTINCT kind, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY "
                          "duration_ms) OVER (PARTITION BY kind), PERCENTILE_CONT(0.95) WITHIN "
                          "GROUP (ORDER BY duration_ms) OVER (PARTITION BY kind) FROM backup_jobs "
                          "WHERE status = 'success' AND duration_ms IS NOT NULL" +
                              (since ? std::string(" AND created_at >= FROM_UNIXTIME(?)") : "") ,
                          params));
  OM_TRY(bytes, catalog.query("SELECT j.kind, COALESCE(SUM(a.file_size), 0) FROM backup_artifacts a "
                              "JOIN backup_jobs j ON j.id = a.job_id" +
                                  (since ? std::string(" WHERE j.created_at >= FROM_UNIXTIME(?)") : "") +
                                  " GROUP BY j.kind",
                              params));
  std::map<std::string, std::pair<Cell, Cell>> pct;
  for (const auto& p : percentiles)
    pct[p.text(0)] = {integer(p, 1), integer(p, 2)};
  std::map<std::string, Cell> size;
  for (const auto& b : bytes)
    size[b.text(0)] = integer(b, 1);
  Table t{{"kind", "total", "success", "failed", "cancelled", "running", "success_rate",
           "last_success", "last_failure", "duration_min_ms", "duration_median_ms",
           "duration_p95_ms", "duration_max_ms", "bytes"},
          {}};
  for (const auto& r : rows) {
    auto done = r.integer(2) + r.integer(3) + r.integer(4);
    auto kind = r.text(0);
    std::vector<Cell> row{kind, r.integer(1), integer(r, 2), integer(r, 3), integer(r, 4),
                          integer(r, 5)};
    if (done > 0) // success rate among finished jobs
      row.emplace_back(static_cast<double>(r.integer(2)) / static_cast<double>(done));
    else
      row.emplace_back(std::monostate{});
    row.insert(row.end(), {instant(r, 6), instant(r, 7), integer(r, 8), pct[kind].first,
                           pct[kind].second, integer(r, 9)});
    auto bytes_of = size.find(kind);
    row.emplace_back(bytes_of != size.end() ? bytes_of->second : Cell(std::int64_t{0}));
    t.rows.push_back(std::move(row));
  }
  return t;
}

} // namespace om::report
