#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/table.hpp>

// What the catalog says about each target (backup_job_targets), for stats and metrics.
namespace om::report {

// The targets the catalog has results of, by name (one index scan).
[[nodiscard]] Result<std::vector<std::string>> recorded_targets(db::Catalog& catalog);

// A target's newest success: one index lookup.
struct TargetSuccess {
  std::int64_t finished_at = 0;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> compressed_size;
  std::optional<std::int64_t> deduplicated_size;
};
// With a host: its newest success to that target.
[[nodiscard]] Result<std::optional<TargetSuccess>>
last_target_success(db::Catalog& catalog, const std::string& target,
                    const std::optional<std::string>& host = {});

// Per target (since `since`, when given): attempts by status, the last success and failure,
// and the last success's duration and sizes.
[[nodiscard]] Result<util::Table> target_stats(db::Catalog& catalog,
                                               std::optional<std::int64_t> since,
                                               const std::optional<std::string>& host = {});

} // namespace om::report
