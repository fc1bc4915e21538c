#include <om/jobs/history.hpp>

#include <algorithm>

#include <om/jobs/columns.hpp>
#include <om/jobs/store.hpp>
#include <om/util/sha256.hpp>

namespace om::jobs {
namespace {

// One prune record (backup_prune_events).
Result<void> record_prune(db::Catalog& catalog, const PruneRecord& r, const char* store,
                          const db::Value& job_id, const std::string& target,
                          const std::string& target_id) {
  OM_TRY_VOID(catalog.execute(
      "INSERT INTO backup_prune_events (host, requested_by, tool, store, job_id, target, "
      "target_id, policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {db::fitted(r.host, columns::host), db::fitted(r.requested_by, columns::requested_by),
       db::fitted(r.tool, columns::prune_tool), std::string(store), job_id,
       db::fitted(target, columns::prune_target), target_id,
       db::fitted(r.policy, columns::prune_policy)}));
  return {};
}

} // namespace

db::BulkInsert bulk_artifact_rows(db::Catalog& catalog) {
  return db::BulkInsert(catalog,
                        "INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, "
                        "file_size, sha256, manifest_path, created_at) VALUES",
                        "(?, ?, ?, ?, ?, ?, ?, COALESCE(FROM_UNIXTIME(?), CURRENT_TIMESTAMP))", 8,
                        "ON DUPLICATE KEY UPDATE id = id");
}

Result<void> link_archives(db::Catalog& catalog, const std::vector<Artifact>& artifacts) {
  if (artifacts.empty())
    return {};
  auto rows = bulk_artifact_rows(catalog);
  for (const auto& a : artifacts) {
    auto row = artifact_row(a);
    row.emplace_back(std::monostate{});
    OM_TRY_VOID(rows.add(std::move(row)));
  }
  OM_TRY_VOID(rows.flush());
  // The run's details and the target's row that named this archive (file_path is
  // <repository>::<archive>) get its id; another target's archive of the same job changes
  // neither.
  for (const auto& a : artifacts) {
    std::vector<db::Value> params{db::nullable(a.sha256), a.job_id, a.file_path};
    OM_TRY_VOID(catalog.execute("UPDATE backup_job_runs SET archive_id = ? WHERE job_id = ? AND "
                                "archive_id IS NULL AND CONCAT(repository, '::', archive_name) = ?",
                                params));
    OM_TRY_VOID(catalog.execute("UPDATE backup_job_targets SET archive_id = ? WHERE job_id = ? "
                                "AND archive_id IS NULL AND CONCAT(repository, '::', "
                                "archive_name) = ?",
                                params));
  }
  return {};
}

Result<void> remove_artifacts(db::Catalog& catalog, const std::vector<std::string>& ids) {
  // In chunks: a prune can take thousands of archives at once.
  for (std::size_t i = 0; i < ids.size(); i += 500) {
    std::vector<db::Value> chunk(ids.begin() + static_cast<long>(i),
                                 ids.begin() + static_cast<long>(std::min(ids.size(), i + 500)));
    std::string sql = "DELETE FROM backup_artifacts WHERE id IN (?";
    for (std::size_t k = 1; k < chunk.size(); ++k)
      sql += ", ?";
    OM_TRY_VOID(catalog.execute(sql + ")", chunk));
  }
  return {};
}

namespace {

// The job whose artifact an archive is (its id), or NULL when none is known.
Result<db::Value> archive_owner(db::Catalog& catalog, const std::string& archive_id) {
  auto row = catalog.query_one(
      "SELECT job_id FROM backup_artifacts WHERE artifact_type = 'borg' AND sha256 = ? LIMIT 1",
      {archive_id});
  if (!row)
    return std::unexpected(row.error());
  if (!*row)
    return db::Value{std::monostate{}};
  return db::Value{(*row)->text(0)};
}

} // namespace

Result<std::size_t> forget_pruned_archives(db::Catalog& catalog, const PruneRecord& record,
                                           const std::string& repository,
                                           const std::vector<std::string>& ids,
                                           const std::vector<std::string>& names) {
  OM_TRY(tx, db::Transaction::begin(catalog));
  std::size_t removed = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    OM_TRY(owner, archive_owner(catalog, ids[i]));
    OM_TRY(n, catalog.execute(
                  "DELETE FROM backup_artifacts WHERE artifact_type = 'borg' AND sha256 = ?",
                  {ids[i]}));
    removed += n;
    OM_TRY_VOID(record_prune(catalog, record, "borg", owner,
                             repository + "::" + (i < names.size() ? names[i] : ids[i]), ids[i]));
  }
  OM_TRY_VOID(tx.commit());
  return removed;
}

Result<void> forget_pruned_files(db::Catalog& catalog, const PruneRecord& record,
                                 const std::vector<PrunedFile>& files) {
  if (files.empty())
    return {};
  OM_TRY(tx, db::Transaction::begin(catalog));
  for (const auto& f : files) {
    OM_TRY_VOID(catalog.execute("DELETE FROM backup_artifacts WHERE id = ?", {f.artifact_id}));
    OM_TRY_VOID(record_prune(catalog, record, "legacy", f.job_id, f.path, f.artifact_id));
  }
  return tx.commit();
}

Result<void> enrich_from_logs(db::Catalog& catalog, const std::vector<LogEnrichment>& rows) {
  if (rows.empty())
    return {};
  OM_TRY_VOID(catalog.execute("CREATE TEMPORARY TABLE IF NOT EXISTS om_log_enrichment (job_id "
                              "VARCHAR(36) PRIMARY KEY, log_path VARCHAR(1024), warning TEXT) "
                              "DEFAULT CHARSET = utf8mb4"));
  OM_TRY_VOID(catalog.execute("DELETE FROM om_log_enrichment"));
  db::BulkInsert staged(catalog, "INSERT INTO om_log_enrichment (job_id, log_path, warning) VALUES",
                        "(?, ?, ?)", 3, "ON DUPLICATE KEY UPDATE job_id = job_id");
  for (const auto& r : rows)
    OM_TRY_VOID(staged.add({r.job_id, db::fitted(r.log_path, columns::log_path),
                            db::fitted(r.warning, columns::error)}));
  OM_TRY_VOID(staged.flush());
  OM_TRY_VOID(catalog.execute("UPDATE backup_job_runs r JOIN om_log_enrichment e ON e.job_id = "
                              "r.job_id SET r.log_path = COALESCE(r.log_path, e.log_path)"));
  OM_TRY_VOID(catalog.execute("UPDATE backup_jobs j JOIN om_log_enrichment e ON e.job_id = j.id "
                              "SET j.error = e.warning WHERE e.warning IS NOT NULL AND j.status = "
                              "'success' AND j.error IS NULL"));
  OM_TRY_VOID(catalog.execute("DROP TEMPORARY TABLE om_log_enrichment"));
  return {};
}

db::BulkInsert bulk_log_file_rows(db::Catalog& catalog) {
  return db::BulkInsert(catalog,
                        "INSERT INTO backup_log_files (path_sha256, path, inode, size, mtime_ns, "
                        "outcome, job_id) VALUES",
                        "(?, ?, ?, ?, ?, ?, ?)", 7,
                        "ON DUPLICATE KEY UPDATE inode = VALUES(inode), size = VALUES(size), "
                        "mtime_ns = VALUES(mtime_ns), outcome = VALUES(outcome), job_id = "
                        "VALUES(job_id)");
}

std::vector<db::Value> log_file_row(const std::string& path, std::int64_t inode, std::int64_t size,
                                    std::int64_t mtime_ns, const std::string& outcome,
                                    const std::optional<std::string>& job_id) {
  return {
      util::sha256_hex(path), db::fitted(path, columns::log_path), inode, size, mtime_ns, outcome,
      db::nullable(job_id)};
}

} // namespace om::jobs
