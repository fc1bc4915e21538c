#pragma once

#include <string>
#include <vector>

// Every borg command line om-backup issues, in one place: the arguments after `borg` (Client
// adds --log-json and the target's --lock-wait and rate limit; version.hpp probes which borg
// this is). borg 1.2 and 1.4 take the same ones. A borg that needs others (borg 2: repo-create,
// -r REPO, archive series) changes them here, and the test "layout: borg's command lines …"
// keeps other areas from spelling a borg command of their own.
namespace om::borg::cmd {

using Args = std::vector<std::string>;

// An archive as borg names it, REPO::ARCHIVE: what the commands on one archive take.
[[nodiscard]] std::string location(const std::string& repo, const std::string& archive);

// A new repository.
[[nodiscard]] Args init(const std::string& repo, const std::string& encryption);
// `borg info --json` of the repository, of its newest `last` archives, or of one archive.
[[nodiscard]] Args info(const std::string& repo);
[[nodiscard]] Args info_last(const std::string& repo, int last);
[[nodiscard]] Args info_archive(const std::string& location);
// `borg list --json` of the repository's archives; or of its archives and its checkpoints.
[[nodiscard]] Args list_archives(const std::string& repo);
[[nodiscard]] Args list_archives_and_checkpoints(const std::string& repo);
// The paths of one archive under `paths`, one a line.
[[nodiscard]] Args list_paths(const std::string& location, const std::vector<std::string>& paths);
// A new archive: `options` (compression, excludes, progress, checkpoints, --stdin-name), then
// the archive and what goes in it ("-" for stdin).
[[nodiscard]] Args create(const std::vector<std::string>& options, const std::string& location,
                          const std::vector<std::string>& inputs);
// One file of an archive on stdout.
[[nodiscard]] Args extract_stdout(const std::string& location, const std::string& path,
                                  bool progress);
// Paths of an archive into the working folder, `strip_components` leading parts dropped.
[[nodiscard]] Args extract(const std::string& location, const std::vector<std::string>& paths,
                           int strip_components, bool progress);
[[nodiscard]] Args delete_archive(const std::string& location);
// Retention over the archives whose names start with `prefix`; `keep` holds --keep-* pairs.
[[nodiscard]] Args prune(const std::string& repo, const std::string& prefix,
                         const std::vector<std::string>& keep, bool dry_run);
[[nodiscard]] Args compact(const std::string& repo);
// The repository's segments and index only; or the archives matching `glob` (no data read).
[[nodiscard]] Args check_repository(const std::string& repo);
[[nodiscard]] Args check_archives(const std::string& repo, const std::string& glob);
// Verification (om-backup-check), each with --info and --progress so that what was covered
// can be read from the log: the segments, resumed where the previous partial check stopped
// when `max_duration_s` is set (0: all of them, and the index); the metadata of every archive,
// or of the newest `last`; every chunk of every archive read and decrypted (--verify-data); one
// archive read whole and thrown away (extract --dry-run).
[[nodiscard]] Args check_segments(const std::string& repo, int max_duration_s);
[[nodiscard]] Args check_archive_metadata(const std::string& repo, int last);
[[nodiscard]] Args check_verify_data(const std::string& repo);
[[nodiscard]] Args extract_dry_run(const std::string& location);
// What changed from the archive at `location` to `other` of the same repository (JSON
// lines), under `paths`.
[[nodiscard]] Args diff(const std::string& location, const std::string& other,
                        const std::vector<std::string>& paths);
// `command` run while borg holds the repository's lock.
[[nodiscard]] Args with_lock(const std::string& repo, const std::vector<std::string>& command);

} // namespace om::borg::cmd
