#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace om::changes {

// How many files one backup added, modified and removed.
struct ChangeCounts {
  std::int64_t added = 0;
  std::int64_t modified = 0;
  std::int64_t removed = 0;
};

// When a backup changed far more than usual (ransomware encrypting the tree, a deploy gone
// wrong): a kind of change above `factor` × the median of the last backups' *and* above
// `min_files`. factor 0: never. Fewer than `min_history` earlier backups: nothing to compare.
struct AnomalyRule {
  int factor = 5;
  std::int64_t min_files = 500;
  std::size_t min_history = 3;
  static constexpr std::size_t k_history = 14; // the last successful backups compared with
};

// What is anomalous about `now` against `history` (newest first; only the first k_history
// count), as "modified 6000 files: over 5 × the median 40 of the last 14 backups, and over
// 500"; nullopt when it is ordinary.
[[nodiscard]] std::optional<std::string> judge_changes(const std::vector<ChangeCounts>& history,
                                                       const ChangeCounts& now,
                                                       const AnomalyRule& rule);

} // namespace om::changes
