#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

// The start every job-making tool shares (om-backup-run, om-backup-copy): the catalog or the
// spool, the UI's queued job claimed, the catalog locks of what the job writes.
namespace om::run {

// The catalog, or nothing when it is unreachable: the job runs anyway and is spooled.
[[nodiscard]] Result<std::optional<db::Catalog>> connect_or_spool(config::Options& options);

// Claims the job the UI queued, before any lock: one conditional UPDATE decides which of two
// runs started for it goes on, and the other leaves the row alone (exit 75).
[[nodiscard]] Result<std::optional<jobs::Job>>
claim_queued(db::Catalog* catalog, const std::optional<std::string>& job_id);

// A UI-queued job this run claimed but cannot run now ends cancelled with the reason, so the
// UI stops waiting.
void cancel_adopted(db::Catalog* catalog, const std::optional<jobs::Job>& adopted,
                    const std::string& why);

// Every place's catalog lock (lock_names[i] for places[i]), or the refusal of the first one
// another host's job holds, naming that job (exit 75).
[[nodiscard]] Result<void> lock_destinations(db::Catalog& catalog,
                                             const std::vector<std::string>& lock_names,
                                             const std::vector<std::string>& places);

} // namespace om::run
