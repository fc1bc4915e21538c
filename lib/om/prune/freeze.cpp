#include <om/prune/freeze.hpp>

#include <om/jobs/integrity.hpp>

namespace om::prune {

Result<std::optional<std::string>> prune_frozen(db::Catalog& catalog) {
  OM_TRY(open, jobs::open_events(catalog, jobs::EventKind::anomaly));
  if (open.empty())
    return std::optional<std::string>{};
  const auto& e = open.front();
  return std::optional<std::string>(
      "nothing is pruned while " + jobs::describe(e) + " is not acknowledged" +
      (open.size() > 1 ? " (+" + std::to_string(open.size() - 1) + " more)" : std::string()) +
      ": see what changed (om-backup-report diff), then om-backup-check --ack " +
      std::to_string(e.id) + " --why TEXT");
}

} // namespace om::prune
