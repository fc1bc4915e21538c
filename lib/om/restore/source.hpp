#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <om/borg/client.hpp>
#include <om/config/options.hpp>
#include <om/util/error.hpp>

namespace om::restore {

// Where the data of a restore comes from: a borg archive or a legacy artifact file.
struct Source {
  bool borg = false;
  std::string path; // legacy file, or "<repo>::<archive>"
  std::string repo;
  std::string archive;
  std::optional<std::int64_t> size;
  std::optional<std::string> sha256;
  [[nodiscard]] std::string describe() const { return borg ? "borg archive " + path : path; }
};

// A job id (its archive in `target`), "<repo>::<archive>", or an archive name in `target`.
// `type` is the legacy artifact type wanted (files or database).
[[nodiscard]] Result<Source> resolve(const config::Options& options, const config::Target& target,
                                     const std::string& from, const std::string& type);

// The target a restore reads from: --target NAME (one at most), else the target whose
// repository `from` names, else local. Needs no catalog.
[[nodiscard]] Result<config::Target> restore_target(const config::Options& options,
                                                    const std::string& from);

// The dump's path inside a borg archive: database/<name>.sql.
[[nodiscard]] Result<std::string> dump_in_archive(const borg::Client& client, const Source& s);

} // namespace om::restore
