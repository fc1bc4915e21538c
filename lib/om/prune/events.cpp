#include <om/prune/events.hpp>
#include <om/jobs/columns.hpp>

namespace om::prune {

Result<std::size_t> forget_pruned_archives(db::Catalog& catalog, const PruneContext& c,
                                           const std::string& repository,
                                           const std::vector<std::string>& ids,
                                           const std::vector<std::string>& names) {
  OM_TRY(tx, db::Transaction::begin(catalog));
  std::size_t removed = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    OM_TRY(owner_row, catalog.query_one("SELECT job_id FROM backup_artifacts WHERE artifact_type = "
                                        "'borg' AND sha256 = ? LIMIT 1",
                                        {ids[i]}));
    db::Value owner = std::monostate{};
    if (owner_row)
      owner = owner_row->text(0);
    OM_TRY(n, catalog.execute("DELETE FROM backup_artifacts WHERE artifact_type = 'borg' AND "
                              "sha256 = ?",
                              {ids[i]}));
    removed += n;
    OM_TRY_VOID(catalog.execute(
        "INSERT INTO backup_prune_events (host, requested_by, tool, store, job_id, target, "
        "target_id, policy) VALUES (?, ?, ?, 'borg', ?, ?, ?, ?)",
        {db::fitted(c.host, jobs::columns::host), db::fitted(c.requested_by, jobs::columns::requested_by),
         db::fitted(c.tool, jobs::columns::prune_tool), owner,
         db::fitted(repository + "::" + (i < names.size() ? names[i] : ids[i]), jobs::columns::prune_target),
         ids[i], db::fitted(c.policy, jobs::columns::prune_policy)}));
  }
  OM_TRY_VOID(tx.commit());
  return removed;
}

} // namespace om::prune
