#include <om/run/anomaly.hpp>

#include <spdlog/spdlog.h>

#include <om/changes/anomaly.hpp>
#include <om/jobs/integrity.hpp>
#include <om/jobs/store.hpp>

namespace om::run {

std::optional<std::string> judge_changes(const BorgBackup& b, const changes::Summary& summary,
                                         const std::string& archive) {
  const auto& rule = b.request.anomaly;
  if (rule.factor <= 0 || summary.basis == "first" || b.store == nullptr)
    return std::nullopt;
  auto& catalog = b.store->catalog();
  auto rows = catalog.query(
      "SELECT c.added_files, c.modified_files, c.removed_files FROM backup_job_changes c JOIN "
      "backup_jobs j ON j.id = c.job_id WHERE c.target = ? AND j.status = 'success' AND "
      "c.basis <> 'first' ORDER BY j.created_at DESC LIMIT ?",
      {b.target.name, static_cast<std::int64_t>(changes::AnomalyRule::k_history)});
  if (!rows) {
    spdlog::warn("the changes of {} were not compared with the usual: {}", archive,
                 rows.error().message);
    return std::nullopt;
  }
  std::vector<changes::ChangeCounts> history;
  for (const auto& r : *rows)
    history.push_back({.added = r.integer(0), .modified = r.integer(1), .removed = r.integer(2)});
  auto unusual = changes::judge_changes(history,
                                        {.added = summary.added_files,
                                         .modified = summary.modified_files,
                                         .removed = summary.removed_files},
                                        rule);
  if (!unusual)
    return std::nullopt;
  const auto& job = b.recorder.record().job;
  auto raised = jobs::raise_event(catalog, {.kind = jobs::EventKind::anomaly,
                                            .target = b.target.name,
                                            .archive_name = archive,
                                            .job_id = job.id,
                                            .detail = *unusual});
  std::string warning = "anomaly: this backup " + *unusual;
  if (!raised)
    return warning + " (not recorded: " + raised.error().message + ")";
  if (*raised)
    warning += "; nothing is pruned until om-backup-check --ack " + std::to_string((*raised)->id) +
               " --why TEXT";
  return warning;
}

} // namespace om::run
