#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::prune {

// Who pruned, with which tool and policy: written with every deletion (backup_prune_events).
struct PruneContext {
  std::string host;
  std::string requested_by;
  std::string tool;
  std::string policy; // describe_policy()
};

// Archives borg pruned: their artifact rows go (their jobs stay in history) and each gets a
// prune record, in one transaction.
[[nodiscard]] Result<std::size_t> forget_pruned_archives(db::Catalog& catalog,
                                                         const PruneContext& context,
                                                         const std::string& repository,
                                                         const std::vector<std::string>& ids,
                                                         const std::vector<std::string>& names);

} // namespace om::prune
