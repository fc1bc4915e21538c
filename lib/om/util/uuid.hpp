#pragma once

#include <string>
#include <string_view>

namespace om::util {

// A random (version 4) UUID, lowercase.
[[nodiscard]] std::string uuid_v4();
// A name-based (version 5, SHA-1) UUID in om-backup's namespace, lowercase. The same name
// always gives the same id, which is what makes sync idempotent.
[[nodiscard]] std::string uuid_v5(std::string_view name);
[[nodiscard]] bool is_uuid(std::string_view text);

} // namespace om::util
