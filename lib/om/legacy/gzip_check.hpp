#pragma once

#include <cstdint>
#include <string>

#include <om/util/error.hpp>

namespace om::legacy {

// Reads a finished .gz once: its whole gzip stream must decompress, and its size and SHA-256
// must be what was recorded while it was written. (The one read verify_after_backup allows.)
[[nodiscard]] Result<void> verify_gzip_file(const std::string& path, std::int64_t expected_size,
                                            const std::string& expected_sha256);

} // namespace om::legacy
