#include <om/restore/source.hpp>

#include <om/app/tool.hpp>
#include <om/config/catalog.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

namespace om::restore {

Result<Source> resolve(const config::Options& options, const std::string& from,
                       const std::string& type) {
  Source s;
  if (util::is_uuid(from)) {
    OM_TRY(catalog, config::open_catalog(options));
    OM_TRY(row,
           catalog.query_one("SELECT artifact_type, file_path, file_size, sha256 FROM "
                             "backup_artifacts WHERE job_id = ? AND artifact_type IN ('borg', ?) "
                             "ORDER BY artifact_type = 'borg' LIMIT 1",
                             {from, type}));
    if (!row)
      return fail("job " + from + " has no " + (type == "files" ? "files" : "database") +
                  " artifact to restore (run om-backup-restore list)");
    s.borg = row->text(0) == "borg";
    s.path = row->text(1);
    s.size = row->opt_integer(2);
    s.sha256 = row->opt_text(3);
  } else {
    s.borg = true;
    s.path = from.find("::") != std::string::npos ? from : options.repo + "::" + from;
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
  OM_TRY(inv, client.run({"list", "--short", s.path, "database"}, {}, [&](std::string_view line) {
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
