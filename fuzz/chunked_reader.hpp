#pragma once

#include <algorithm>
#include <cstring>
#include <string_view>

#include <om/borg/json_stream.hpp>

namespace om::fuzz {

// `doc` handed over at most `chunk` bytes at a time, as a pipe might; `at` is how far it has
// been read (it must outlive the reader).
inline borg::ByteReader chunked_reader(std::string_view doc, std::size_t chunk, std::size_t& at) {
  return [doc, chunk, &at](char* buf, std::size_t size) -> Result<std::size_t> {
    auto n = std::min({size, chunk, doc.size() - at});
    std::memcpy(buf, doc.data() + at, n);
    at += n;
    return n;
  };
}

} // namespace om::fuzz
