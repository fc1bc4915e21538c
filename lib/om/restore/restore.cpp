#include <om/restore/restore.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/borg/client.hpp>
#include <om/db/client_credentials.hpp>
#include <om/legacy/artifact_file.hpp>
#include <om/log/logging.hpp>
#include <om/proc/run.hpp>
#include <om/report/table.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>
#include <om/util/uuid.hpp>

namespace om::restore {
namespace {

namespace fs = std::filesystem;

// Where the data comes from.
struct Source {
  bool borg = false;
  std::string path;    // legacy file, or "<repo>::<archive>"
  std::string repo;
  std::string archive;
  std::optional<std::int64_t> size;
  std::optional<std::string> sha256;
  [[nodiscard]] std::string describe() const { return borg ? "borg archive " + path : path; }
};

// A job id, "<repo>::<archive>", or an archive name in --repo. `type` is the legacy artifact
// type wanted (files or database).
Result<Source> resolve(const config::Options& options, const std::string& from, const std::string& type) {
  Source s;
  if (util::is_uuid(from)) {
    OM_TRY(catalog, app::open_catalog(options));
    OM_TRY(row, catalog.query_one("SELECT artifact_type, file_path, file_size, sha256 FROM "
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

// A legacy artifact must be what the catalog recorded, byte for byte, before anything is restored.
Result<void> verify_artifact(const Source& s) {
  struct stat st{};
  if (::stat(s.path.c_str(), &st) != 0)
    return fail("artifact " + s.path + " is missing");
  if (s.size && st.st_size != *s.size)
    return fail("artifact " + s.path + " is " + std::to_string(st.st_size) +
                " bytes; the catalog recorded " + std::to_string(*s.size) + ": not restoring");
  if (s.sha256) {
    OM_TRY(digest, util::sha256_file(s.path));
    if (digest != *s.sha256)
      return fail("artifact " + s.path + " has sha256 " + digest + "; the catalog recorded " +
                  *s.sha256 + ": not restoring");
  }
  return {};
}

// A tar made elsewhere (or tampered with) must not write outside the target.
Result<void> check_tar_members(const std::string& path) {
  proc::Command list;
  list.argv = {"tar", "--list", "--gzip", "--file", path};
  bool bad = false;
  std::string offender;
  proc::Streams streams;
  streams.on_stdout_line = [&](std::string_view m) {
    bool unsafe = m.starts_with("/") || m == ".." || m.starts_with("../") ||
                  m.find("/../") != std::string_view::npos || m.ends_with("/..");
    if (unsafe && !bad) {
      bad = true;
      offender = std::string(m);
    }
  };
  OM_TRY(r, proc::run(list, streams));
  if (bad)
    return fail("refusing " + path + ": it holds member '" + offender +
                "', which would be written outside the target folder");
  if (!r.success())
    return fail("listing " + path + ": tar " + r.describe() + ": " + util::first_line(r.stderr_text));
  return {};
}

Result<void> prepare_target(const std::string& dir, bool force) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !force)
    return fail(ExitStatus::usage, "target " + dir + " is not empty (use --force to restore into it)");
  return util::make_dirs(dir, 0700);
}

std::string tree_in_archive(const config::Options& o) {
  auto rel = o.prod_root;
  while (rel.starts_with("/"))
    rel.erase(0, 1);
  return rel;
}

Result<proc::Outcome> run_checked(proc::Command cmd, const std::string& what) {
  OM_TRY(r, proc::run(cmd));
  if (!r.success())
    return fail(what + ": " + cmd.argv.front() + " " + r.describe() + ": " +
                util::first_line(r.stderr_text));
  return r;
}

Result<ExitStatus> restore_files(const config::Options& o, const RestoreRequest& r, const Source& s,
                                 const borg::Client& client) {
  if (o.dry_run) {
    std::printf("would restore the application tree%s from %s into %s\n",
                r.paths.empty() ? "" : (" (" + util::join(r.paths, ", ") + ")").c_str(),
                s.describe().c_str(), r.to_dir.c_str());
    return ExitStatus::ok;
  }
  OM_TRY_VOID(prepare_target(r.to_dir, r.force));
  if (s.borg) {
    // Stored as <prod-root without '/'>/…: strip all but its last part, so the target gets
    // <basename>/… like a legacy tar.
    auto tree = tree_in_archive(o);
    auto depth = std::count(tree.begin(), tree.end(), '/');
    auto cmd = client.command({"extract", "--strip-components", std::to_string(depth), s.path});
    if (r.paths.empty())
      cmd.argv.push_back(tree);
    for (const auto& p : r.paths)
      cmd.argv.push_back(tree + "/" + p);
    cmd.cwd = r.to_dir;
    OM_TRY_VOID(run_checked(cmd, "extracting " + s.path));
  } else {
    OM_TRY_VOID(verify_artifact(s));
    OM_TRY_VOID(check_tar_members(s.path));
    proc::Command cmd;
    cmd.argv = {"tar", "--extract", "--gzip", "--file", s.path, "--directory", r.to_dir,
                "--same-permissions", "--same-owner"};
    auto base = fs::path(o.prod_root).filename().string();
    for (const auto& p : r.paths)
      cmd.argv.push_back(base + "/" + p);
    OM_TRY_VOID(run_checked(cmd, "extracting " + s.path));
  }
  spdlog::info("restored files from {} into {}", s.describe(), r.to_dir);
  return ExitStatus::ok;
}

// The dump's path inside a borg archive: database/<name>.sql.
Result<std::string> dump_in_archive(const borg::Client& client, const Source& s) {
  auto cmd = client.command({"list", "--short", s.path, "database"});
  OM_TRY(out, run_checked(cmd, "listing " + s.path));
  for (auto line : util::split(out.stdout_text, '\n')) {
    if (line.ends_with(".sql"))
      return std::string(line);
  }
  return fail("archive " + s.path + " holds no database dump");
}

// The command whose stdout is the plain SQL dump.
Result<proc::Command> dump_source(const borg::Client& client, const Source& s) {
  if (s.borg) {
    OM_TRY(name, dump_in_archive(client, s));
    return client.command({"extract", "--stdout", s.path, name});
  }
  OM_TRY_VOID(verify_artifact(s));
  proc::Command gunzip;
  gunzip.argv = {"gunzip", "--stdout", s.path};
  return gunzip;
}

bool valid_database_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::ranges::all_of(name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; });
}

Result<ExitStatus> restore_db(const config::Options& o, const RestoreRequest& r, const Source& s,
                              const borg::Client& client) {
  if (r.database.empty() == r.to_file.empty())
    return fail(ExitStatus::usage, "say where the dump goes: --database NAME or --to-file FILE");
  if (o.dry_run) {
    std::printf("would restore the database dump from %s into %s\n", s.describe().c_str(),
                r.database.empty() ? r.to_file.c_str() : ("database " + r.database).c_str());
    return ExitStatus::ok;
  }
  OM_TRY(source, dump_source(client, s));
  if (!r.to_file.empty()) {
    OM_TRY(file, legacy::ArtifactFile::create(r.to_file));
    proc::Streams streams;
    streams.on_stdout_data = [&](std::string_view chunk) { file.write(chunk); };
    OM_TRY(out, proc::run(source, streams));
    if (!out.success())
      return fail("reading the dump: " + source.argv.front() + " " + out.describe() + ": " +
                  util::first_line(out.stderr_text));
    OM_TRY_VOID(file.commit());
    spdlog::info("extracted the dump from {} to {}", s.describe(), r.to_file);
    return ExitStatus::ok;
  }
  if (!valid_database_name(r.database))
    return fail(ExitStatus::usage, "invalid database name '" + r.database + "'");
  auto target = o.app_db_connection();
  target.database.clear();
  OM_TRY(server, db::Catalog::connect(target));
  OM_TRY(tables, server.query_one("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                  "table_schema = ?",
                                  {r.database}));
  if (tables && tables->integer(0) > 0 && !r.force)
    return fail(ExitStatus::usage, "database " + r.database + " has " + tables->text(0) +
                                       " tables: not loading into it (use --force)");
  OM_TRY_VOID(server.execute("CREATE DATABASE IF NOT EXISTS `" + r.database + "`"));
  OM_TRY(credentials, db::resolve_credentials(target));
  OM_TRY(defaults, db::ChildDefaultsFile::create(credentials));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail("pipe failed");
  source.stdout_fd = fds[1];
  proc::Command load;
  // --one-database: statements for any other database (a tampered USE) are ignored.
  load.argv = {"mysql", defaults.argument(), "--one-database", "--binary-mode", r.database};
  load.stdin_fd = fds[0];
  std::vector<proc::Command> cmds{source, load};
  std::vector<proc::Streams> streams(2);
  OM_TRY(outcomes, proc::run_together(cmds, streams));
  if (!outcomes[0].success())
    return fail("reading the dump: " + cmds[0].argv.front() + " " + outcomes[0].describe() + ": " +
                util::first_line(outcomes[0].stderr_text));
  if (!outcomes[1].success())
    return fail("loading into " + r.database + ": mysql " + outcomes[1].describe() + ": " +
                util::first_line(outcomes[1].stderr_text));
  spdlog::info("loaded the dump from {} into database {}", s.describe(), r.database);
  return ExitStatus::ok;
}

Result<ExitStatus> list_backups(const config::Options& o, const RestoreRequest& r) {
  OM_TRY(catalog, app::open_catalog(o));
  OM_TRY(rows, catalog.query(
                   "SELECT j.id, j.kind, UNIX_TIMESTAMP(COALESCE(j.started_at, j.created_at)), "
                   "j.requested_by, GROUP_CONCAT(a.artifact_type ORDER BY a.artifact_type), "
                   "GROUP_CONCAT(a.file_path ORDER BY a.artifact_type SEPARATOR ' ') FROM backup_jobs j "
                   "JOIN backup_artifacts a ON a.job_id = j.id WHERE j.status = 'success' GROUP BY "
                   "j.id ORDER BY j.created_at DESC, j.id DESC LIMIT ?",
                   {static_cast<std::int64_t>(r.limit)}));
  report::Table t{{"id", "kind", "time", "requested_by", "contains", "where"}, {}};
  for (const auto& row : rows)
    t.rows.push_back({row.text(0), row.text(1), report::Instant{row.integer(2)}, row.text(3),
                      row.text(4), row.text(5)});
  std::fputs(report::render(t, o.json ? report::Format::json : report::Format::table).c_str(), stdout);
  return ExitStatus::ok;
}

// The newest successful job that has something to restore.
Result<std::string> newest_restorable(const config::Options& o) {
  OM_TRY(catalog, app::open_catalog(o));
  OM_TRY(row, catalog.query_one("SELECT j.id FROM backup_jobs j WHERE j.status = 'success' AND "
                                "EXISTS (SELECT 1 FROM backup_artifacts a WHERE a.job_id = j.id) "
                                "ORDER BY j.created_at DESC, j.id DESC LIMIT 1"));
  if (!row)
    return fail("no successful backup with artifacts to verify");
  return row->text(0);
}

// A restore drill: the job's files into a scratch folder and its dump into a scratch
// database, both removed afterwards. Proves the backup restores, not only that it exists.
Result<ExitStatus> verify_restore(const config::Options& o, RestoreRequest r,
                                  const borg::Client& client) {
  if (r.from.empty()) {
    OM_TRY(newest, newest_restorable(o));
    r.from = newest;
  }
  std::string scratch = o.state_dir + "/verify-XXXXXX";
  OM_TRY_VOID(util::make_dirs(o.state_dir, 0750));
  if (::mkdtemp(scratch.data()) == nullptr)
    return fail("creating a scratch folder in " + o.state_dir + ": " + std::strerror(errno));
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{scratch};
  std::size_t files = 0;
  std::size_t tables = 0;
  bool any = false;
  if (auto source = resolve(o, r.from, "files")) {
    r.to_dir = scratch + "/files";
    OM_TRY_VOID(restore_files(o, r, *source, client));
    for (const auto& e : fs::recursive_directory_iterator(r.to_dir))
      files += e.is_regular_file() ? 1 : 0;
    any = true;
  }
  if (auto source = resolve(o, r.from, "database")) {
    bool has_dump = !source->borg || dump_in_archive(client, *source).has_value();
    if (has_dump) {
      r.database = "om_verify_" + util::uuid_v4().substr(0, 8);
      r.to_file.clear();
      auto loaded = restore_db(o, r, *source, client);
      auto target = o.app_db_connection();
      target.database.clear();
      auto server = db::Catalog::connect(target);
      if (server) {
        if (loaded) {
          if (auto n = server->query_one("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                         "table_schema = ?",
                                         {r.database}); n && *n)
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
  std::printf("verified job %s: %zu files and %zu tables restored\n", r.from.c_str(), files, tables);
  spdlog::info("restore drill of job {}: {} files, {} tables", r.from, files, tables);
  return ExitStatus::ok;
}

} // namespace

void add_restore_commands(config::Cli& cli, RestoreRequest& r) {
  auto& app = cli.app();
  app.require_subcommand(1, 1);
  app.fallthrough();
  auto* list = app.add_subcommand("list", "Restorable backups, newest first");
  list->add_option("--limit", r.limit, "At most this many")->check(CLI::PositiveNumber);
  auto* files = app.add_subcommand("files", "Restore the application files into a folder");
  files->add_option("--from", r.from, "Job id, REPO::ARCHIVE or an archive name")->required();
  files->add_option("--to", r.to_dir, "Target folder (empty or absent unless --force)")->required();
  files->add_option("--path", r.paths, "Only this path of the tree (repeatable)");
  files->add_flag("--force", r.force, "Restore into a folder that is not empty");
  auto* database = app.add_subcommand("db", "Restore a database dump");
  database->add_option("--from", r.from, "Job id, REPO::ARCHIVE or an archive name")->required();
  database->add_option("--database", r.database, "Load into this database (only this one)");
  database->add_option("--to-file", r.to_file, "Only extract the dump into this file");
  database->add_flag("--force", r.force, "Load into a database that has tables");
  auto* verify = app.add_subcommand(
      "verify", "Restore drill: restore a backup (default: the newest) into scratch places and check");
  verify->add_option("--from", r.from, "Job id (default: the newest successful backup)");
  for (auto* sub : {list, files, database, verify})
    sub->callback([&r, sub] { r.command = sub->get_name(); });
}

Result<ExitStatus> run_restore(config::Cli& cli, const config::Options& options,
                               const RestoreRequest& r) {
  (void)cli;
  if (r.command == "list")
    return list_backups(options, r);
  if (r.command == "verify") {
    OM_TRY(passphrase, borg::resolve_passphrase(options.passphrase_file));
    borg::Client client(options.borg_command, passphrase, std::chrono::hours(24));
    return verify_restore(options, r, client);
  }
  const bool files = r.command == "files";
  OM_TRY(source, resolve(options, r.from, files ? "files" : "database"));
  if (!options.dry_run) {
    auto log = log::open_run_log(options.log_dir,
                                 "om-backup-restore: " + util::login_name() + " on " +
                                     util::host_name() + " restores " + r.command + " from " +
                                     source.describe() + " to " +
                                     (files ? r.to_dir : (r.database.empty() ? r.to_file : "database " + r.database)),
                                 "restore");
    if (!log)
      spdlog::warn("restoring without a log: {}", log.error().message);
  }
  OM_TRY(passphrase, borg::resolve_passphrase(source.borg ? options.passphrase_file : ""));
  if (source.borg)
    OM_TRY_VOID(borg::require_passphrase(passphrase));
  borg::Client client(options.borg_command, passphrase, std::chrono::hours(24));
  auto result = files ? restore_files(options, r, source, client) : restore_db(options, r, source, client);
  if (!result)
    spdlog::info("restore failed: {}", result.error().message);
  else if (!options.dry_run)
    spdlog::info("restore finished");
  return result;
}

} // namespace om::restore
