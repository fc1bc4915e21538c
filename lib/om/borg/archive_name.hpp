#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::borg {

// Expands an archive name format like borg does, so the name is known before borg runs
// (to record it, to clean up after a failed dump, to show it in a dry run). Supports
// {hostname}, {user}, {now}, {now:FMT}, {utcnow}, {utcnow:FMT} (FMT: strftime, %f for
// microseconds); anything else is an error. `now_us`: microseconds since the epoch.
[[nodiscard]] Result<std::string> expand_archive_name(std::string_view format, std::int64_t now_us,
                                                      const std::string& hostname,
                                                      const std::string& user);

// The fixed part of the format before its first time placeholder, expanded ("om-web1-"): the
// prefix that limits pruning to this host's own archives. Empty prefix is an error.
[[nodiscard]] Result<std::string>
archive_prefix(std::string_view format, const std::string& hostname, const std::string& user);

// The archive ids named by `borg prune --list` lines ("Pruning archive (1/2): … [id]").
[[nodiscard]] std::string pruned_archive_id(std::string_view prune_list_line);

} // namespace om::borg
