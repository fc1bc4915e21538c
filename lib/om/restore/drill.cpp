#include <om/restore/drill.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include <om/config/catalog.hpp>
#include <om/restore/extract.hpp>
#include <om/restore/source.hpp>
#include <om/util/files.hpp>
#include <om/util/uuid.hpp>

namespace om::restore {
namespace {

namespace fs = std::filesystem;

// The newest successful job that has something to restore.
Result<std::string> newest_restorable(const config::Options& o) {
  OM_TRY(catalog, config::open_catalog(o));
  OM_TRY(row, catalog.query_one("SELECT j.id FROM backup_jobs j WHERE j.status = 'success' AND "
                                "EXISTS (SELECT 1 FROM backup_artifacts a WHERE a.job_id = j.id) "
                                "ORDER BY j.created_at DESC, j.id DESC LIMIT 1"));
  if (!row)
    return fail("no successful backup with artifacts to verify");
  return row->text(0);
}

} // namespace

Result<ExitStatus> verify_restore(const config::Options& o, RestoreRequest r,
                                  const config::Target& target, const borg::Client& client) {
  if (r.from.empty()) {
    OM_TRY(newest, newest_restorable(o));
    r.from = newest;
  }
  OM_TRY(scratch_dir, util::ScratchDir::create(o.state_dir, "verify"));
  const auto& scratch = scratch_dir.path();
  std::size_t files = 0;
  std::size_t tables = 0;
  bool any = false;
  if (auto source = resolve(o, target, r.from, "files")) {
    r.to_dir = scratch + "/files";
    OM_TRY_VOID(restore_files(o, r, *source, client));
    for (const auto& e : fs::recursive_directory_iterator(r.to_dir))
      files += e.is_regular_file() ? 1 : 0;
    any = true;
  }
  if (auto source = resolve(o, target, r.from, "database")) {
    bool has_dump = !source->borg || dump_in_archive(client, *source).has_value();
    if (has_dump) {
      r.database = "om_verify_" + util::uuid_v4().substr(0, 8);
      r.to_file.clear();
      auto loaded = restore_db(o, r, *source, client);
      auto scratch_server = o.app_db_connection();
      scratch_server.database.clear();
      auto server = db::Catalog::connect(scratch_server);
      if (server) {
        if (loaded) {
          if (auto n = server->query_one("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                         "table_schema = ?",
                                         {r.database});
              n && *n)
            tables = static_cast<std::size_t>((*n)->integer(0));
        }
        (void)server->execute("DROP DATABASE IF EXISTS `" + r.database + "`");
      }
      if (!loaded)
        return std::unexpected(loaded.error());
      any = true;
    }
  }
  if (!any)
    return fail("job " + r.from + " has nothing to restore");
  if (tables == 0 && files == 0)
    return fail("restore drill of job " + r.from + ": nothing came back");
  std::printf("verified job %s: %zu files and %zu tables restored\n", r.from.c_str(), files,
              tables);
  spdlog::info("restore drill of job {}: {} files, {} tables", r.from, files, tables);
  return ExitStatus::ok;
}

} // namespace om::restore
