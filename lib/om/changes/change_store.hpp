#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/changes/change.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>
#include <om/util/json_writer.hpp>

namespace om::changes {

// backup_job_changes: what each target's archive of a job changed.
[[nodiscard]] Result<void> save_summary(db::Catalog& catalog, const std::string& job_id,
                                        const std::string& target, const Summary& summary);
[[nodiscard]] Result<std::vector<TargetSummary>> load_summaries(db::Catalog& catalog,
                                                                const std::string& job_id);

// The archive of the newest successful backup by `host` to `target` in `repository`, other
// than job `job_id`'s: what this backup is compared with.
[[nodiscard]] Result<std::optional<std::string>>
previous_archive(db::Catalog& catalog, const std::string& target, const std::string& repository,
                 const std::string& host, const std::string& job_id);

// One change as a JSON object {"path","change","size_before","size_after"} (report diff's
// lines, the stored largest changes).
void write_change(util::JsonWriter& w, const Change& change);

// The largest changes as stored (a JSON array of such objects).
[[nodiscard]] std::string largest_json(const std::vector<Change>& changes);
[[nodiscard]] Result<std::vector<Change>> parse_largest_json(std::string_view json);

} // namespace om::changes
