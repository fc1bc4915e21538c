#pragma once

#include <optional>
#include <string>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::prune {

// Why nothing may be pruned now, on any target: an anomaly (a backup that changed far more than
// usual, perhaps ransomware encrypting the tree) not yet acknowledged — pruning then could
// leave only the damaged backups. nullopt when pruning may go on.
[[nodiscard]] Result<std::optional<std::string>> prune_frozen(db::Catalog& catalog);

} // namespace om::prune
