#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <om/changes/change.hpp>
#include <om/util/error.hpp>

namespace om::changes {

// One member of a tar archive, as `tar --list --verbose --full-time --numeric-owner
// --quoting-style=c` shows it: type (-, d, l, h, c, b, p), permissions, uid/gid, size,
// modification time, and the link target of a symbolic or hard link.
struct TarEntry {
  char type = '-';
  std::string permissions;
  std::string owner;
  std::int64_t size = 0;
  std::string mtime;
  std::string link;
};
using TarListing = std::map<std::string, TarEntry>; // by path, without a folder's trailing /

// Reads one line of that listing into `listing`; a line of another shape is an error (the
// listing is then not trusted at all).
[[nodiscard]] Result<void> add_tar_line(std::string_view line, TarListing& listing);

// What changed from `before` to `after`, in path order: added, removed, modified (type, size
// or mtime of a file), mode, owner, link; a folder whose only change is its mtime is `time`,
// listed only with `all`.
[[nodiscard]] std::vector<Change> compare_listings(const TarListing& before,
                                                   const TarListing& after, bool all);

} // namespace om::changes
