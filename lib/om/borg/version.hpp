#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::borg {

// borg's version as `borg --version` prints it ("borg 1.4.0", "borg 2.0.0b19").
struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string text; // "1.4.0", "2.0.0b19": as printed, for messages and manifests
};

// The version in `borg --version`'s output, or nullopt when it names none.
[[nodiscard]] std::optional<Version> parse_version(std::string_view output);

// The range om-backup drives: borg 1.2.x and 1.4.x (1.3 was never released).
[[nodiscard]] bool is_supported(const Version& v);
inline constexpr std::string_view k_supported_range = "1.2.x and 1.4.x";

// Runs `program --version` once per process and program (later calls answer from memory) and
// refuses a borg outside the supported range: exit 78 with one line naming the version found
// and the range, before anything is written or any repository touched. A program that cannot
// be started is no refusal: nothing is known of it, and its first real command says why it
// failed. The version is logged at info ("borg 1.4.0 (/usr/bin/borg)").
[[nodiscard]] Result<std::optional<Version>> require_supported(const std::string& program);

} // namespace om::borg
