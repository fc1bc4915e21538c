#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::config {

// What a key's value must be: any text, yes/no, or a whole number in [min, max].
struct KeySpec {
  enum class Type { text, flag, number };
  std::string_view name;
  Type type = Type::text;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

// Every key a config file may hold: the long options of every om-backup tool, so one file
// (/etc/om-backup/om-backup.conf) serves them all. A test keeps it in step with the tools.
[[nodiscard]] std::span<const KeySpec> known_config_keys();

// The spec of a key (dashes or underscores), or nullopt when no tool knows it.
[[nodiscard]] std::optional<KeySpec> find_key(std::string_view key);

// Whether `value` fits `spec`; the reason when it does not ("must be a whole number from 0
// to 100000").
[[nodiscard]] std::optional<std::string> value_problem(const KeySpec& spec, std::string_view value);

// Checks a whole config file before CLI11 reads it: every line is blank, a comment or
// `key = value`; every key is known, given once, with a value of its type. Anything else
// (a line without '=', a [section], a repeated key, "keep-daily = -1") is a configuration
// error (exit 78) naming the file and the line.
[[nodiscard]] Result<void> check_config_file(const std::string& path, std::string_view text);

} // namespace om::config
