#pragma once

#include <string_view>

#include <om/borg/types.hpp>
#include <om/util/error.hpp>

namespace om::borg {

// Parsers of borg 1.2's --json documents. Anything that is not the expected shape is an
// error (never an empty result): a listing that does not parse must not look like "no archives".
[[nodiscard]] Result<Listing> parse_list(std::string_view json);
[[nodiscard]] Result<Info> parse_info(std::string_view json);
[[nodiscard]] Result<CreateResult> parse_create(std::string_view json);
[[nodiscard]] Result<RepositoryStats> parse_repository_info(std::string_view json);

// The pieces of a document walked by walk_document (json_stream.hpp): one element of `borg
// list --json`'s archives, one of `borg info --json`'s, the "repository" member. Each is
// checked as strictly as in the whole-document parsers above.
[[nodiscard]] Result<ArchiveRef> parse_listed_archive(std::string_view json);
[[nodiscard]] Result<Archive> parse_archive_info(std::string_view json);
[[nodiscard]] Result<Repository> parse_repository_member(std::string_view json);

// One line of --log-json stderr. Lines that are not JSON (borg prints a few, e.g. the
// passphrase prompt) come back as Type::text; a prompt followed by JSON on the same line is
// parsed from the JSON.
[[nodiscard]] LogLine parse_log_line(std::string_view line);

[[nodiscard]] ErrorKind classify_msgid(std::string_view msgid);

} // namespace om::borg
