#include <om/sync/vanished.hpp>

#include <unordered_map>
#include <unordered_set>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::sync {

Result<std::vector<GoneArchive>> gone_archives(db::Catalog& catalog, const std::string& repository,
                                               const ListedArchives& listing, std::int64_t before) {
  const std::string prefix = repository + "::";
  std::vector<db::Value> params{prefix, prefix};
  std::string before_listing;
  if (before > 0) {
    before_listing = " AND a.created_at < FROM_UNIXTIME(?)";
    params.emplace_back(before);
  }
  OM_TRY(recorded, catalog.query("SELECT a.id, a.sha256, a.file_path, a.job_id, "
                                 "UNIX_TIMESTAMP(COALESCE(j.started_at, a.created_at)) FROM "
                                 "backup_artifacts a LEFT JOIN backup_jobs j ON j.id = a.job_id "
                                 "WHERE a.artifact_type = 'borg' AND LEFT(a.file_path, "
                                 "CHAR_LENGTH(?)) = ?" +
                                     before_listing,
                                 params));
  std::unordered_set<std::string_view> listed;
  for (const auto& ref : listing) {
    if (!ref.is_checkpoint())
      listed.insert(ref.id);
  }
  std::vector<GoneArchive> gone;
  for (const auto& r : recorded) {
    if (listed.contains(r.text_view(1)))
      continue;
    gone.push_back({.artifact_id = r.text(0),
                    .archive_id = r.text(1),
                    .name = r.text(2).substr(prefix.size()),
                    .job_id = r.opt_text(3),
                    .time = r.integer(4)});
  }
  return gone;
}

Result<SortedGone> sort_gone(db::Catalog& catalog, std::vector<GoneArchive> gone,
                             const ListedArchives& listing, const prune::RetentionPolicy& retention,
                             const date::time_zone* tz) {
  SortedGone sorted;
  std::vector<GoneArchive> unexplained;
  for (auto& g : gone) {
    OM_TRY(pruned, catalog.query_one("SELECT 1 FROM backup_prune_events WHERE store = 'borg' AND "
                                     "target_id = ? LIMIT 1",
                                     {g.archive_id}));
    (pruned ? sorted.pruned : unexplained).push_back(std::move(g));
  }
  if (unexplained.empty())
    return sorted;
  // The retention as it would have judged the repository with the gone archives still there.
  std::vector<prune::Candidate> candidates;
  candidates.reserve(listing.size() + unexplained.size());
  for (const auto& ref : listing) {
    if (ref.is_checkpoint())
      continue;
    if (auto t = util::parse_local_time(ref.start, tz))
      candidates.push_back({.id = std::string(ref.id), .time = *t});
  }
  for (const auto& g : unexplained)
    candidates.push_back({.id = g.archive_id, .time = g.time});
  std::unordered_map<std::string, bool> kept;
  for (const auto& d : prune::apply_retention(std::move(candidates), retention, tz))
    kept[d.id] = d.keep;
  for (auto& g : unexplained)
    (kept[g.archive_id] ? sorted.vanished : sorted.pruned).push_back(std::move(g));
  return sorted;
}

Result<std::vector<jobs::IntegrityEvent>> raise_vanished(db::Catalog& catalog,
                                                         const std::string& target,
                                                         const std::vector<GoneArchive>& vanished) {
  std::vector<jobs::IntegrityEvent> raised;
  for (const auto& g : vanished) {
    jobs::IntegrityEvent e{.kind = jobs::EventKind::vanished,
                           .target = target,
                           .archive_name = g.name,
                           .job_id = g.job_id,
                           .detail = "archive id " + g.archive_id +
                                     "; not pruned by om-backup, and the target's retention "
                                     "would keep it"};
    OM_TRY(added, jobs::raise_event(catalog, e));
    if (added)
      raised.push_back(std::move(*added));
  }
  return raised;
}

Result<void> fail_on_open_vanished(db::Catalog& catalog) {
  OM_TRY(open, jobs::open_events(catalog, jobs::EventKind::vanished));
  if (open.empty())
    return {};
  std::vector<std::string> named;
  for (const auto& e : open)
    named.push_back("archive " + e.archive_name + " vanished from target " + e.target + " (event " +
                    std::to_string(e.id) + ")");
  return fail(ExitStatus::failed, util::join(named, "; ") +
                                      ": not pruned by om-backup; find out who deleted it, then "
                                      "om-backup-check --ack EVENT --why TEXT");
}

} // namespace om::sync
