// What rclone prints (its JSON log lines, `lsjson` listings) and the copy plan made from a
// listing: no negative count or size; a listing copied onto itself changes nothing and is
// never refused; onto nothing it deletes nothing; a copy settled at its newest transaction
// keeps no segment past it.
#include <algorithm>
#include <set>
#include <string>

#include <om/copy/plan.hpp>
#include <om/copy/rclone_output.hpp>
#include <om/util/strings.hpp>

#include "check.hpp"

namespace om::fuzz {

void rclone_output(std::string_view input) {
  for (auto line : util::split(input, '\n')) {
    auto parsed = copy::parse_log_line(line);
    if (parsed.stats) {
      const auto& s = *parsed.stats;
      check(s.bytes >= 0 && s.total_bytes >= 0 && s.transfers >= 0 && s.deletes >= 0 &&
                s.errors >= 0 && s.checks >= 0 && s.renames >= 0 && s.speed >= 0,
            "a negative count in rclone's stats");
    }
  }
  auto listing = copy::parse_listing(input);
  if (!listing)
    return;
  for (const auto& f : *listing)
    check(f.size >= 0, "a negative size in a listing");
  std::set<std::string> paths;
  bool unique = true;
  for (const auto& f : *listing)
    unique = paths.insert(f.path).second && unique;
  auto same = copy::plan_copy(*listing, *listing, 0, false);
  check(same.new_segments == 0 && same.deleted_segments == 0 && same.deleted_files == 0,
        "a listing copied onto itself adds or deletes something");
  // A path listed twice with two sizes (some clouds allow it) is a replacement.
  if (unique)
    check(same.replaced_segments == 0 && !same.refusal,
          "a listing copied onto itself replaces something");
  auto first = copy::plan_copy(*listing, {}, 0, false);
  check(first.deleted_files == 0 && !first.refusal, "a first copy deletes something");
  const auto newest = copy::newest_transaction(*listing);
  auto settled = copy::settle(*listing, newest);
  for (const auto& f : *listing) {
    auto name = copy::classify(f.path);
    bool aside = std::ranges::find(settled.set_aside, f.path) != settled.set_aside.end();
    if (name.role == copy::Role::segment && name.number > newest)
      check(aside, "a segment past the newest transaction is kept");
    if (name.role == copy::Role::other)
      check(!aside, "a file that is no segment, index or lock is set aside");
  }
}

} // namespace om::fuzz
