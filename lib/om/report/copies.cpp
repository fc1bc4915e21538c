#include <om/report/copies.hpp>

namespace om::report {
namespace {

// The newest copy artifact of a destination: its job's end, and the destination's size then.
constexpr const char* k_last_copy =
    "SELECT UNIX_TIMESTAMP(COALESCE(j.finished_at, j.started_at, j.created_at)), a.file_size "
    "FROM backup_artifacts a JOIN backup_jobs j ON j.id = a.job_id WHERE a.artifact_type = "
    "'copy' AND a.file_path = ? ORDER BY j.created_at DESC, j.id DESC LIMIT 1";

} // namespace

Result<std::optional<CopyRecord>> last_copy(db::Catalog& catalog, const std::string& destination) {
  OM_TRY(row, catalog.query_one(k_last_copy, {destination}));
  if (!row || row->is_null(0))
    return std::optional<CopyRecord>{};
  return std::optional<CopyRecord>(CopyRecord{destination, row->integer(0), row->integer(1)});
}

Result<std::vector<CopyRecord>> copy_destinations(db::Catalog& catalog) {
  OM_TRY(rows, catalog.query("SELECT DISTINCT file_path FROM backup_artifacts WHERE "
                             "artifact_type = 'copy' ORDER BY file_path"));
  std::vector<CopyRecord> out;
  for (const auto& r : rows) {
    OM_TRY(last, last_copy(catalog, r.text(0)));
    if (last)
      out.push_back(std::move(*last));
  }
  return out;
}

} // namespace om::report
