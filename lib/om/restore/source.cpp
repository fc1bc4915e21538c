#include <om/restore/source.hpp>

#include <om/borg/commands.hpp>
#include <om/config/catalog.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

namespace om::restore {

Result<config::Target> restore_target(const config::Options& options, const std::string& from) {
  if (options.only_targets.size() > 1)
    return fail(ExitStatus::usage, "a restore reads from one --target, not " +
                                       std::to_string(options.only_targets.size()));
  OM_TRY(targets, config::resolve_targets(options));
  if (options.only_targets.empty() && from.find("::") != std::string::npos) {
    auto repo = from.substr(0, from.rfind("::"));
    for (const auto& t : targets) {
      if (t.repo == repo)
        return t;
    }
    return config::local_target(options, repo); // a repository no target names
  }
  if (targets.empty()) // no repository at all: legacy artifacts only
    return config::local_target(options, "");
  return targets.front(); // the one --target named, or local
}

Result<Source> resolve(const config::Options& options, const config::Target& target,
                       const std::string& from, const std::string& type) {
  Source s;
  if (util::is_uuid(from)) {
    OM_TRY(catalog, config::open_catalog(options));
    // A borg job has an archive per target: the one in `target`'s repository.
    const std::string prefix = target.repo + "::";
    OM_TRY(row, catalog.query_one(
                    "SELECT artifact_type, file_path, file_size, sha256 FROM backup_artifacts "
                    "WHERE job_id = ? AND (artifact_type = ? OR (artifact_type = 'borg' AND "
                    "LEFT(file_path, CHAR_LENGTH(?)) = ?)) ORDER BY artifact_type = 'borg' LIMIT 1",
                    {from, type, prefix, prefix}));
    if (!row)
      return fail("job " + from + " has no " + (type == "files" ? "files" : "database") +
                  " artifact in target " + target.name +
                  " to restore (run om-backup-restore list)");
    s.borg = row->text(0) == "borg";
    s.path = row->text(1);
    s.size = row->opt_integer(2);
    s.sha256 = row->opt_text(3);
  } else {
    s.borg = true;
    s.path = from.find("::") != std::string::npos ? from : target.repo + "::" + from;
  }
  if (s.borg) {
    auto sep = s.path.rfind("::");
    s.repo = s.path.substr(0, sep);
    s.archive = s.path.substr(sep + 2);
    if (s.repo.empty() || s.archive.empty())
      return fail(ExitStatus::usage, "cannot tell the repository and archive from '" + from + "'");
  }
  return s;
}

Result<std::string> dump_in_archive(const borg::Client& client, const Source& s) {
  std::string dump;
  OM_TRY(inv,
         client.run(borg::cmd::list_paths(s.path, {"database"}), {}, [&](std::string_view line) {
           if (dump.empty() && line.ends_with(".sql"))
             dump = std::string(line);
         }));
  if (!inv.ok())
    return std::unexpected(inv.error().context("listing " + s.path));
  if (dump.empty())
    return fail("archive " + s.path + " holds no database dump");
  return dump;
}

} // namespace om::restore
