#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <om/config/target.hpp>
#include <om/ping/ping_target.hpp>
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

// The keys a [target.NAME] section may hold.
[[nodiscard]] std::span<const KeySpec> target_keys();

// What a config file says beyond what CLI11 reads from it: its [target.NAME] sections, and
// the `copy-to` lines before them (the local target's; the one key that may repeat).
struct ConfigFile {
  std::vector<Target> targets;
  std::vector<std::string> copy_to;
  // `ping-url` lines (repeatable, `[STYLE:]URL`, with `ping-style` for a plain URL): read from
  // this file only, never the command line, where a token would show in `ps`.
  std::vector<ping::PingTarget> pings;
  // Every `key = value` line as read (section "" for the top), for `om-backup-report config`.
  struct Line {
    std::string section; // "target.NAME", or ""
    std::string key;
    std::string value;
    int line = 0;
  };
  std::vector<Line> lines;
};

// Checks a whole config file before CLI11 reads it: every line is blank, a comment,
// `key = value` or a target's section header; every key is known (in a section: a target
// key), given once (but `copy-to`), with a value of its type; every target has a repo.
// Anything else (a line without '=', another [section], a repeated key, "keep-daily = -1") is
// a configuration error (exit 78) naming the file and the line.
[[nodiscard]] Result<ConfigFile> read_config_file(const std::string& path, std::string_view text);

// Whether a key may be given more than once (its values add up).
[[nodiscard]] bool is_repeatable_key(std::string_view name);

// The targets as [target.NAME] sections that read_config_file reads back as the same targets
// (text values quoted, unset values left out).
[[nodiscard]] std::string format_target_sections(const std::vector<Target>& targets);

} // namespace om::config
