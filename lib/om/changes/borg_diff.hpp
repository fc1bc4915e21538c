#pragma once

#include <string_view>
#include <vector>

#include <om/changes/change.hpp>
#include <om/util/error.hpp>

namespace om::changes {

// One line of `borg diff --json-lines` (borg 1.2: {"path": ..., "changes": [{"type": ...},
// ...]}) as our changes, one per kind: added and removed (with the size borg gives for a
// file), modified (content: borg found other chunks), mode, owner, link. A "modified" with
// nothing added or removed is not a content change, and timestamps alone (ctime, mtime) are
// `time`, kept only with `all` (borg reports them for every parent folder of a change).
// A line that is not such an object is an error.
[[nodiscard]] Result<std::vector<Change>> parse_diff_line(std::string_view line, bool all);

} // namespace om::changes
