// borg's whole --json documents (list, info, create, repository info) and --log-json lines:
// what the whole-document parsers accept, the streamed path (walker + piece parsers, as
// om-backup-sync reads years of archives) reads the same; accepted values are sane.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <om/borg/json_stream.hpp>
#include <om/borg/parse.hpp>
#include <om/util/strings.hpp>

#include "check.hpp"
#include "chunked_reader.hpp"

namespace om::fuzz {
namespace {

// The document streamed, each archive through `parse_piece`; nullopt when any part fails.
template <class Archive, class Parse>
std::optional<std::vector<Archive>> streamed(std::string_view doc, std::size_t chunk,
                                             Parse parse_piece,
                                             std::optional<borg::Repository>& repository) {
  std::vector<Archive> out;
  std::size_t at = 0;
  auto walked = borg::walk_document(
      chunked_reader(doc, chunk, at), {[&](std::string_view json) -> Result<void> {
                              OM_TRY(a, parse_piece(json));
                              out.push_back(std::move(a));
                              return {};
                            },
                            [&](std::string_view key, std::string_view json) -> Result<void> {
                              if (key != "repository")
                                return {};
                              OM_TRY(r, borg::parse_repository_member(json));
                              repository = std::move(r);
                              return {};
                            }});
  if (!walked)
    return std::nullopt;
  return out;
}

void check_archive(const borg::Archive& a) {
  check(util::is_hex(a.id, 64), "an accepted archive without a 64-hex id");
  check(std::isfinite(a.duration) && a.duration >= 0, "an accepted archive with a bad duration");
  check(a.stats.original_size >= 0 && a.stats.compressed_size >= 0 &&
            a.stats.deduplicated_size >= 0 && a.stats.nfiles >= 0,
        "an accepted archive with a negative size");
}

bool same_repository(const borg::Repository& a, const borg::Repository& b) {
  return a.id == b.id && a.location == b.location && a.last_modified == b.last_modified;
}

void listing(std::string_view doc, std::size_t chunk) {
  auto whole = borg::parse_list(doc);
  if (!whole)
    return;
  std::optional<borg::Repository> repository;
  auto pieces = streamed<borg::ArchiveRef>(doc, chunk, borg::parse_listed_archive, repository);
  check(pieces.has_value(), "a listing parse_list accepts fails when streamed");
  check(pieces->size() == whole->archives.size(), "streamed: a different number of archives");
  for (std::size_t i = 0; i < pieces->size(); ++i) {
    const auto& a = (*pieces)[i];
    const auto& b = whole->archives[i];
    check(a.name == b.name && a.id == b.id && a.start == b.start,
          "streamed: listed archive " + std::to_string(i) + " differs");
    check(util::is_hex(b.id, 64), "a listed archive without a 64-hex id");
  }
  check(repository && same_repository(*repository, whole->repository),
        "streamed: the repository differs");
}

void info(std::string_view doc, std::size_t chunk) {
  auto whole = borg::parse_info(doc);
  if (!whole)
    return;
  std::optional<borg::Repository> repository;
  auto pieces = streamed<borg::Archive>(doc, chunk, borg::parse_archive_info, repository);
  check(pieces.has_value(), "an info document parse_info accepts fails when streamed");
  check(pieces->size() == whole->archives.size(), "streamed: a different number of archives");
  for (std::size_t i = 0; i < pieces->size(); ++i) {
    const auto& a = (*pieces)[i];
    const auto& b = whole->archives[i];
    check_archive(b);
    check(a.name == b.name && a.id == b.id && a.start == b.start && a.end == b.end &&
              a.duration == b.duration && a.hostname == b.hostname &&
              a.username == b.username && a.stats.original_size == b.stats.original_size &&
              a.stats.compressed_size == b.stats.compressed_size &&
              a.stats.deduplicated_size == b.stats.deduplicated_size &&
              a.stats.nfiles == b.stats.nfiles,
          "streamed: archive " + std::to_string(i) + " differs");
  }
}

} // namespace

void borg_documents(std::string_view input) {
  if (input.empty())
    return;
  const std::size_t chunk = 1 + static_cast<unsigned char>(input.front()) % 97;
  const auto doc = input.substr(1);
  listing(doc, chunk);
  info(doc, chunk);
  if (auto created = borg::parse_create(doc))
    check_archive(created->archive);
  if (auto totals = borg::parse_repository_info(doc))
    check(totals->total_size >= 0 && totals->total_csize >= 0 && totals->unique_csize >= 0 &&
              totals->unique_size >= 0 && totals->total_chunks >= 0 && totals->unique_chunks >= 0,
          "repository totals with a negative size");
  for (auto line : util::split(doc, '\n'))
    (void)borg::parse_log_line(line);
}

} // namespace om::fuzz
