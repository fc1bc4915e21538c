#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::borg {

// Where a document's bytes come from: fills `buf` with up to `size` bytes, 0 at the end.
using ByteReader = std::function<Result<std::size_t>(char* buf, std::size_t size)>;

// Reads the next piece of an open file descriptor (a file, or a pipe such as stdin).
[[nodiscard]] ByteReader fd_reader(int fd);
// Reads a document already in memory (it must outlive the reader).
[[nodiscard]] ByteReader text_reader(std::string_view text);

// Walks a borg --json document ({"archives": [{...}, ...], "repository": {...}, ...}) one
// piece at a time, so that years of archives never sit in memory at once: each element of the
// top-level "archives" array goes to `on_archive` as its own JSON text, every other top-level
// member to `on_member`. Handlers may fail, which stops the walk. A document that is not one
// complete JSON object (truncated, garbage, trailing bytes) is an error; the pieces handed out
// are only split here, not validated — their parser does that. Returns whether the document
// had an "archives" member at all.
struct DocumentHandlers {
  std::function<Result<void>(std::string_view json)> on_archive;
  std::function<Result<void>(std::string_view key, std::string_view json)> on_member;
};
[[nodiscard]] Result<bool> walk_document(const ByteReader& read, const DocumentHandlers& handlers);

} // namespace om::borg
