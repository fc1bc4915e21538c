#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace om::check {

// An archive of an offsite target, as the data rotation weighs it.
struct RotationArchive {
  std::string name;
  std::string id;
  std::string start;                       // borg's time, sorts oldest first
  std::optional<std::int64_t> verified_at; // last read back whole (unix seconds)
  std::int64_t bytes = 0;                  // what reading it moves (its compressed size)

  [[nodiscard]] bool read_since(std::int64_t cycle_started_at) const {
    return verified_at && *verified_at >= cycle_started_at;
  }
};

// Which archives one run of the data rotation reads: those not read since the cycle began
// (never read first, then the least recently read, then the oldest archive), as many as fit
// `budget_bytes` — and always at least one, so that an archive bigger than the budget is read
// too, alone. Empty when every archive has been read in this cycle. `size_of` is asked only
// for the archives weighed, in that order (finding a size may cost a borg call).
[[nodiscard]] std::vector<RotationArchive>
pick_for_rotation(std::vector<RotationArchive> archives, std::int64_t cycle_started_at,
                  std::int64_t budget_bytes,
                  const std::function<std::int64_t(const RotationArchive&)>& size_of);

// The share of `archives` read since the cycle began.
[[nodiscard]] double rotation_share(const std::vector<RotationArchive>& archives,
                                    std::int64_t cycle_started_at);

} // namespace om::check
