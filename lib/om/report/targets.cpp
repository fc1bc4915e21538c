#include <om/report/targets.hpp>

#include <om/report/reports.hpp>

namespace om::report {
namespace {

util::Cell maybe(std::optional<std::int64_t> v) {
  return v ? util::Cell(*v) : util::Cell(std::monostate{});
}

util::Cell maybe_instant(std::optional<std::int64_t> at) {
  return at ? util::Cell(util::Instant{*at}) : util::Cell(std::monostate{});
}

} // namespace

Result<std::vector<std::string>> recorded_targets(db::Catalog& catalog) {
  OM_TRY(rows, catalog.query("SELECT DISTINCT target FROM backup_job_targets ORDER BY target"));
  std::vector<std::string> names;
  names.reserve(rows.size());
  for (const auto& r : rows)
    names.push_back(r.text(0));
  return names;
}

Result<std::optional<TargetSuccess>> last_target_success(db::Catalog& catalog,
                                                         const std::string& target,
                                                         const std::optional<std::string>& host) {
  std::vector<db::Value> params{target};
  const auto of_host = host_condition(host, "job_id", params);
  OM_TRY(row, catalog.query_one("SELECT UNIX_TIMESTAMP(finished_at), duration_ms, "
                                "compressed_size, deduplicated_size FROM backup_job_targets "
                                "WHERE target = ? AND status = 'success' AND finished_at IS NOT "
                                "NULL" +
                                    of_host + " ORDER BY finished_at DESC LIMIT 1",
                                params));
  if (!row)
    return std::optional<TargetSuccess>{};
  return std::optional<TargetSuccess>(TargetSuccess{row->integer(0), row->opt_integer(1),
                                                    row->opt_integer(2), row->opt_integer(3)});
}

// GCC 12 takes the members of the optional and variant temporaries below for maybe-uninitialized
// once inlined (GCC bugs 105562, 107138): the warning is silenced for this function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
Result<util::Table> target_stats(db::Catalog& catalog, std::optional<std::int64_t> since,
                                 const std::optional<std::string>& host) {
  std::vector<db::Value> params;
  if (since)
    params.emplace_back(*since);
  const auto of_host = host_condition(host, "job_id", params);
  OM_TRY(rows,
         catalog.query("SELECT target, COUNT(*), SUM(status = 'success'), SUM(status = 'failed'), "
                       "SUM(status = 'cancelled'), SUM(status = 'running'), "
                       "UNIX_TIMESTAMP(MAX(IF(status = 'failed', finished_at, NULL))) FROM "
                       "backup_job_targets WHERE 1 = 1" +
                           std::string(since ? " AND started_at >= FROM_UNIXTIME(?)" : "") +
                           of_host + " GROUP BY target ORDER BY target",
                       params));
  util::Table t{{"target", "total", "success", "failed", "cancelled", "running", "last_success",
                 "last_failure", "last_duration_ms", "last_compressed_size",
                 "last_deduplicated_size"},
                {}};
  for (const auto& r : rows) {
    std::vector<util::Cell> row{r.text(0),    r.integer(1), r.integer(2),
                                r.integer(3), r.integer(4), r.integer(5)};
    OM_TRY(newest, last_target_success(catalog, r.text(0), host));
    auto last = newest && (!since || newest->finished_at >= *since) ? newest : std::nullopt;
    row.push_back(maybe_instant(last ? std::optional(last->finished_at) : std::nullopt));
    row.push_back(maybe_instant(r.opt_integer(6)));
    row.push_back(maybe(last ? last->duration_ms : std::nullopt));
    row.push_back(maybe(last ? last->compressed_size : std::nullopt));
    row.push_back(maybe(last ? last->deduplicated_size : std::nullopt));
    t.rows.push_back(std::move(row));
  }
  return t;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace om::report
