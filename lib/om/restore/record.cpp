#include <om/restore/record.hpp>

#include <spdlog/spdlog.h>

#include <om/config/catalog.hpp>
#include <om/proc/interrupt.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::restore {
namespace {

Result<void> save_progress(db::Catalog& catalog, const std::string& id,
                           const progress::Snapshot& s) {
  OM_TRY_VOID(catalog.execute(
      "UPDATE backup_restores SET phase = ?, bytes_processed = ?, bytes_total = ?, "
      "current_path = ?, percent = ?, eta_seconds = ?, updated_at = CURRENT_TIMESTAMP "
      "WHERE id = ?",
      {db::fitted(s.phase, db::varchar(32)), s.bytes_processed, db::nullable(s.bytes_total),
       s.current_path.empty() ? db::Value{} : db::fitted(s.current_path, db::k_text_column),
       db::nullable(s.percent), db::nullable(s.eta_seconds), id}));
  return {};
}

} // namespace

RestoreRecord::RestoreRecord(const config::Options& options, RestoreInfo info)
    : m_options(options), m_info(std::move(info)), m_started_ms(util::monotonic_ms()) {
  m_progress.phase(m_info.what);
}

Result<std::unique_ptr<RestoreRecord>> RestoreRecord::begin(const config::Options& options,
                                                            RestoreInfo info) {
  std::unique_ptr<RestoreRecord> record(new RestoreRecord(options, std::move(info)));
  const auto& id = record->m_info.id;
  auto catalog = config::open_catalog(options);
  Result<void> inserted = catalog ? Result<void>{} : std::unexpected(catalog.error());
  if (catalog) {
    auto taken = catalog->query_one("SELECT 1 FROM backup_restores WHERE id = ?", {id});
    if (taken && *taken)
      return fail(ExitStatus::usage,
                  "restore id " + id + " is taken: backup_restores already has a restore with it");
    inserted = taken ? record->insert(*catalog) : std::unexpected(taken.error());
  }
  if (!inserted) {
    spdlog::warn("restore {} is not recorded in the catalog: {}", id, inserted.error().message);
    return record;
  }
  record->m_catalog.emplace(std::move(*catalog));
  spdlog::info("restore {} is recorded in backup_restores", id);
  progress::RowWriter row;
  row.save = [id](db::Catalog& c, const progress::Snapshot& s) { return save_progress(c, id, s); };
  record->m_progress.start(options.catalog, std::move(row));
  return record;
}

Result<void> RestoreRecord::insert(db::Catalog& catalog) const {
  OM_TRY_VOID(catalog.execute(
      "INSERT INTO backup_restores (id, what, source, source_job_id, destination, host, "
      "requested_by, log_path, status, phase, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "'running', ?, FROM_UNIXTIME(?))",
      {m_info.id, m_info.what, db::fitted(m_info.source, db::varchar(1024)),
       db::nullable(m_info.source_job_id), db::fitted(m_info.destination, db::varchar(1024)),
       db::fitted(util::host_name(), db::varchar(255)),
       db::fitted(m_info.requested_by, db::varchar(255)),
       m_info.log_path ? db::fitted(*m_info.log_path, db::varchar(1024)) : db::Value{}, m_info.what,
       util::now_unix()}));
  return {};
}

jobs::Status ending_of(const Result<ExitStatus>& result) {
  if (result)
    return jobs::Status::success;
  return proc::interrupted() != 0 ? jobs::Status::cancelled : jobs::Status::failed;
}

void record_drill(const config::Options& options, const Drill& drill) {
  auto catalog = config::open_catalog(options);
  auto saved = catalog
                   ? catalog->execute("INSERT INTO backup_restore_drills (started_at, finished_at, "
                                      "duration_ms, host, source, status, error) VALUES "
                                      "(FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?, ?, ?, ?, ?)",
                                      {drill.started_at, util::now_unix(), drill.duration_ms,
                                       db::fitted(util::host_name(), db::varchar(255)),
                                       db::fitted(drill.source, db::varchar(1024)),
                                       std::string(jobs::to_string(drill.status)),
                                       db::fitted(drill.error, db::k_text_column)})
                   : std::unexpected(catalog.error());
  if (!saved)
    spdlog::warn("the restore drill was not recorded: {}", saved.error().message);
}

void RestoreRecord::end(const Result<ExitStatus>& result) {
  const auto status = ending_of(result);
  auto last = m_progress.finish(status);
  if (!last)
    return; // never recorded
  auto write = [&](db::Catalog& c) -> Result<void> {
    OM_TRY_VOID(c.execute(
        "UPDATE backup_restores SET status = ?, error = ?, phase = ?, bytes_processed = ?, "
        "bytes_total = ?, current_path = NULL, percent = COALESCE(?, percent), eta_seconds = ?, "
        "finished_at = FROM_UNIXTIME(?), duration_ms = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE id = ?",
        {last->status, result ? db::Value{} : db::fitted(result.error().message, db::k_text_column),
         last->phase, last->bytes_processed, db::nullable(last->bytes_total),
         db::nullable(last->percent), db::nullable(last->eta_seconds), util::now_unix(),
         util::monotonic_ms() - m_started_ms, m_info.id}));
    return {};
  };
  // A failed or cancelled restore keeps the percent it had reached.
  auto written = write(*m_catalog);
  if (!written) { // the connection may have gone stale in a long restore: once more, anew
    auto fresh = config::open_catalog(m_options);
    written = fresh ? write(*fresh) : std::unexpected(fresh.error());
  }
  if (!written)
    spdlog::warn("the end of restore {} was not recorded: {}", m_info.id, written.error().message);
}

} // namespace om::restore
