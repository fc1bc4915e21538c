#include <om/prune/legacy_prune.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/jobs/history.hpp>
#include <om/util/time.hpp>

namespace om::prune {
namespace {

// True when `path` is inside `root` (lexically, after resolving . and ..).
bool inside(const std::string& path, const std::string& root) {
  auto p = std::filesystem::path(path).lexically_normal().string();
  auto r = std::filesystem::path(root).lexically_normal().string();
  if (!r.ends_with('/'))
    r += '/';
  return p.starts_with(r);
}

// Removes a file; "already gone" is success.
Result<void> remove_file(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT)
    return {};
  return fail("removing " + path + ": " + std::strerror(errno));
}

} // namespace

Result<std::vector<LegacyDecision>>
plan_legacy_prune(db::Catalog& catalog, const RetentionPolicy& policy, const date::time_zone* tz) {
  std::vector<LegacyDecision> out;
  for (const char* kind : {"files", "db", "both"}) {
    OM_TRY(rows, catalog.query(
                     "SELECT j.id, UNIX_TIMESTAMP(COALESCE(j.started_at, j.created_at)) FROM "
                     "backup_jobs j WHERE j.status = 'success' AND j.kind = ? AND EXISTS (SELECT 1 "
                     "FROM backup_artifacts a WHERE a.job_id = j.id AND a.artifact_type IN "
                     "('files', 'database')) ORDER BY j.created_at, j.id",
                     {std::string(kind)}));
    std::vector<Candidate> candidates;
    candidates.reserve(rows.size());
    for (const auto& r : rows)
      candidates.push_back({r.text(0), r.integer(1)});
    rows.clear();
    auto decisions = apply_retention(std::move(candidates), policy, tz);
    out.reserve(out.size() + decisions.size());
    if (!decisions.empty() && !decisions.front().keep) { // never the newest of a kind
      decisions.front().keep = true;
      decisions.front().rule = "newest";
    }
    for (auto& d : decisions)
      out.push_back({LegacyBackup{d.id, kind, d.time}, std::move(d)});
  }
  return out;
}

namespace {
// The files a job recorded (loaded only for the jobs being pruned).
Result<std::vector<LegacyBackup::File>> files_of(db::Catalog& catalog, const std::string& job_id) {
  OM_TRY(rows, catalog.query("SELECT id, file_path, COALESCE(manifest_path, '') FROM "
                             "backup_artifacts WHERE job_id = ? AND artifact_type IN ('files', "
                             "'database')",
                             {job_id}));
  std::vector<LegacyBackup::File> files;
  for (const auto& r : rows)
    files.push_back({r.text(0), r.text(1), r.text(2)});
  return files;
}
} // namespace

Result<LegacyPruneResult> apply_legacy_prune(db::Catalog& catalog,
                                             const std::vector<LegacyDecision>& plan,
                                             const std::string& backup_root,
                                             const jobs::PruneRecord& context) {
  LegacyPruneResult result;
  for (const auto& d : plan) {
    if (d.decision.keep)
      continue;
    OM_TRY(files, files_of(catalog, d.backup.job_id));
    std::vector<const LegacyBackup::File*> gone;
    for (const auto& f : files) {
      if (!inside(f.path, backup_root)) {
        result.warnings.push_back("not deleting " + f.path + ": it is outside --backup-root " +
                                  backup_root);
        continue;
      }
      if (auto r = remove_file(f.path); !r) {
        result.warnings.push_back(r.error().message);
        continue;
      }
      if (!f.manifest_path.empty() && inside(f.manifest_path, backup_root))
        (void)remove_file(f.manifest_path);
      spdlog::info("pruned {} (job {}, {})", f.path, d.backup.job_id, context.policy);
      gone.push_back(&f);
    }
    if (gone.empty())
      continue;
    std::vector<jobs::PrunedFile> pruned;
    pruned.reserve(gone.size());
    for (const auto* f : gone)
      pruned.push_back({f->artifact_id, d.backup.job_id, f->path});
    OM_TRY_VOID(jobs::forget_pruned_files(catalog, context, pruned));
    // The folder of the job goes when it is empty; the day's folder too.
    std::error_code ec;
    auto folder = std::filesystem::path(files.front().path).parent_path();
    for (int up = 0; up < 2 && inside(folder.string(), backup_root); ++up) {
      if (!std::filesystem::is_empty(folder, ec) || !std::filesystem::remove(folder, ec))
        break;
      folder = folder.parent_path();
    }
    ++result.backups_pruned;
  }
  return result;
}

std::string describe_decision(const LegacyDecision& d, bool dry_run, const date::time_zone* tz) {
  std::string head = d.decision.keep ? "Keeping backup (rule: " + d.decision.rule + "):"
                                     : (dry_run ? "Would prune:" : "Pruning backup:");
  head.resize(std::max<std::size_t>(head.size() + 1, 41), ' ');
  return head + d.backup.job_id + "  " + d.backup.kind + "  " +
         util::format_time(d.backup.time, tz, "%a, %Y-%m-%d %H:%M:%S");
}

} // namespace om::prune
