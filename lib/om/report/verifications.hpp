#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

// Where the verification of one target at one level stands.
struct VerificationState {
  std::string target;
  std::string level;
  std::optional<std::int64_t> last_success_at;
  double cycle_share = 0; // of the cycle under way (1: the newest run completed one)
  // Damage found and not yet cleared by a whole clean cycle begun after it.
  std::optional<std::int64_t> damage_at;
  std::string damage;
};

// Every target and level om-backup-check has recorded.
[[nodiscard]] Result<std::vector<VerificationState>> verification_states(db::Catalog& catalog);

} // namespace om::report
