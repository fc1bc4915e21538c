#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

// A cloud copy destination's newest successful copy (an artifact of type copy).
struct CopyRecord {
  std::string destination; // REMOTE:PATH
  std::int64_t finished_at = 0;
  std::int64_t bytes = 0; // what the destination held after it
};

// Every destination copies were recorded for, each with its newest copy; from the
// (artifact_type, file_path) index, however long the history.
[[nodiscard]] Result<std::vector<CopyRecord>> copy_destinations(db::Catalog& catalog);

// One destination's newest copy, nullopt when none is recorded.
[[nodiscard]] Result<std::optional<CopyRecord>> last_copy(db::Catalog& catalog,
                                                          const std::string& destination);

} // namespace om::report
