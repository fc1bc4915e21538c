// What "what changed" reads: tar listings, borg diff lines, our file index, and the bytes of
// file names that are not UTF-8 carried through JSON. A listing compared with itself has no
// change, with nothing every member is added (or removed); an index read back is the index
// written; hidden bytes come back as they were; a summary keeps its largest changes sorted
// and at most k_largest.
#include <string>

#include <om/borg/surrogates.hpp>
#include <om/changes/borg_diff.hpp>
#include <om/changes/file_index.hpp>
#include <om/changes/tar_listing.hpp>
#include <om/util/strings.hpp>

#include "check.hpp"

namespace om::fuzz {

void change_listings(std::string_view input) {
  changes::TarListing listing;
  changes::Summary summary;
  for (auto line : util::split(input, '\n')) {
    (void)changes::add_tar_line(line, listing);
    if (auto diff = changes::parse_diff_line(line, true)) {
      for (auto& c : *diff) {
        check(c.size_before.value_or(0) >= 0 && c.size_after.value_or(0) >= 0,
              "a negative size in a borg diff change");
        summary.add(std::move(c));
      }
    }
  }
  check(summary.largest.size() <= changes::Summary::k_largest, "too many largest changes");
  for (std::size_t i = 1; i < summary.largest.size(); ++i)
    check(changes::weight(summary.largest[i - 1]) >= changes::weight(summary.largest[i]),
          "the largest changes are not largest first");

  check(changes::compare_listings(listing, listing, true).empty(),
        "a tar listing compared with itself has changes");
  auto added = changes::compare_listings({}, listing, false);
  check(added.size() == listing.size(), "not every member of a new listing is added");
  for (const auto& c : added)
    check(c.change == "added", "a member of a new listing is not added");
  check(changes::compare_listings(listing, {}, false).size() == listing.size(),
        "not every member of a listing that went is removed");

  if (auto index = changes::parse_index(input)) {
    auto again = changes::parse_index(changes::render_index(*index));
    check(again && again->repository == index->repository && again->archive == index->archive &&
              again->selection == index->selection && again->files == index->files,
          "a file index read back is not the index written");
  }

  // A lone \udcXX escape is hidden, and the byte it stands for comes back from the parse.
  if (auto hidden = borg::hide_surrogates(input))
    check(hidden->size() == input.size(), "hiding a surrogate changed the text's length");
  // Bytes that were never hidden come through bytes_of() unchanged unless they look hidden.
  if (input.find("\xEF\x9E") == std::string_view::npos &&
      input.find("\xEF\x9F") == std::string_view::npos)
    check(borg::bytes_of(input) == input, "bytes_of changed text that held no hidden byte");
}

} // namespace om::fuzz
