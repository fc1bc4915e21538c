#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace om::borg {

// borg writes a file name that is not UTF-8 into its JSON with Python's surrogateescape: each
// such byte XX (80-FF) as a lone "\udcXX", which no strict JSON parser takes. These two carry
// those bytes through the parser: hide_surrogates() turns each lone \udcXX of a JSON text into
// \uf7XX (a private-use character) — nullopt when there is none, or when the text already
// holds a \uf7.. escape and the two could be confused (then the line stays unreadable) —
// and bytes_of() turns those characters of a parsed string back into the bytes of the name.
[[nodiscard]] std::optional<std::string> hide_surrogates(std::string_view json);
[[nodiscard]] std::string bytes_of(std::string_view parsed);

} // namespace om::borg
