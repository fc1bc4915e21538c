#include <om/restore/restore_tool.hpp>

#include <om/ping/monitor.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <ranges>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <om/attempt/requester.hpp>
#include <om/borg/client.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/target_client.hpp>
#include <om/config/catalog.hpp>
#include <om/log/logging.hpp>
#include <om/proc/interrupt.hpp>
#include <om/restore/drill.hpp>
#include <om/restore/extract.hpp>
#include <om/restore/fetch.hpp>
#include <om/restore/record.hpp>
#include <om/restore/source.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/table.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::restore {
namespace {

Result<ExitStatus> list_backups(const config::Options& o, const RestoreRequest& r) {
  OM_TRY(catalog, config::open_catalog(o));
  OM_TRY(rows,
         catalog.query(
             "SELECT j.id, j.kind, UNIX_TIMESTAMP(COALESCE(j.started_at, j.created_at)), "
             "j.requested_by, GROUP_CONCAT(a.artifact_type ORDER BY a.artifact_type), "
             "GROUP_CONCAT(a.file_path ORDER BY a.artifact_type SEPARATOR ' ') FROM backup_jobs j "
             "JOIN backup_artifacts a ON a.job_id = j.id WHERE j.status = 'success' GROUP BY "
             "j.id ORDER BY j.created_at DESC, j.id DESC LIMIT ?",
             {static_cast<std::int64_t>(r.limit)}));
  util::Table t{{"id", "kind", "time", "requested_by", "contains", "where"}, {}};
  for (const auto& row : rows)
    t.rows.push_back({row.text(0), row.text(1), util::Instant{row.integer(2)}, row.text(3),
                      row.text(4), row.text(5)});
  std::fputs(util::render(t, o.json ? util::Format::json : util::Format::table).c_str(), stdout);
  return ExitStatus::ok;
}
// The archives of one target, from its repository: no catalog needed (the server is lost).
Result<ExitStatus> list_archives(const config::Options& o, const config::Target& target) {
  OM_TRY(listing, borg::list_target(target, o.borg_command, std::chrono::hours(1)));
  util::Table t{{"archive", "start", "id", "from"}, {}};
  for (const auto& a : std::ranges::reverse_view(listing.archives)) // newest first
    t.rows.push_back({a.name, a.start, a.id, target.repo + "::" + a.name});
  std::fputs(util::render(t, o.json ? util::Format::json : util::Format::table).c_str(), stdout);
  return ExitStatus::ok;
}

// fetch: the copy downloaded and checked; stdout says where it is, for --repo.
Result<ExitStatus> fetch(const config::Options& o, const RestoreRequest& r) {
  OM_TRY(repo, fetch_copy(o, r.copy, r.to_dir, r.force, r.progress));
  if (o.json)
    std::printf("{\"repo\":%s,\"from\":%s}\n", util::json_quote(repo).c_str(),
                util::json_quote(r.copy).c_str());
  else
    std::printf("--repo %s\n", util::shell_quote(repo).c_str());
  return ExitStatus::ok;
}

// verify --copy: the restore drill on a downloaded copy, of --from (an archive name) or its
// newest archive; the download is removed afterwards.
Result<ExitStatus> verify_copy(const config::Options& o, RestoreRequest r) {
  OM_TRY(scratch, util::ScratchDir::create(o.state_dir, "verify-copy"));
  OM_TRY(repo, fetch_copy(o, r.copy, scratch.path() + "/repo", false, r.progress));
  const auto target = config::local_target(o, repo);
  if (r.from.empty()) {
    OM_TRY(listing, borg::list_target(target, o.borg_command, std::chrono::hours(1)));
    if (listing.archives.empty())
      return fail("verify --copy: " + r.copy + " holds no archive");
    r.from = listing.archives.back().name;
  }
  OM_TRY(client, borg::client_for(target, o.borg_command, std::chrono::hours(24)));
  return verify_restore(o, r, target, client);
}

} // namespace

void add_restore_options(config::Cli& cli, RestoreRequest& r) {
  cli.add_borg_tool_options();
  cli.add_dump_options();
  cli.add_copy_options();
  auto& app = cli.app();
  app.add_flag("-n,--dry-run", cli.options().dry_run, "Show what would be restored, and where");
  app.require_subcommand(1, 1);
  app.fallthrough();
  auto* list = app.add_subcommand(
      "list", "Restorable backups, newest first (with --target: that repository's archives, "
              "read from it without the catalog)");
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
      "verify",
      "Restore drill: restore a backup (default: the newest) into scratch places and check");
  verify->add_option("--from", r.from,
                     "Job id (default: the newest successful backup); with --copy an archive "
                     "name (default: the copy's newest)");
  verify->add_option("--copy", r.copy,
                     "Drill on this cloud copy (REMOTE:PATH), downloaded into a scratch folder");
  auto* fetch = app.add_subcommand(
      "fetch", "Download a cloud copy of a repository, check it, print the --repo to restore from");
  fetch->add_option("--from", r.copy, "The copy: rclone REMOTE:PATH")->required();
  fetch->add_option("--to", r.to_dir, "Folder for the repository (empty or absent unless --force)")
      ->required();
  fetch->add_flag("--force", r.force, "Fetch into a folder that is not empty");
  for (auto* sub : {files, database}) {
    sub->add_option("--restore-id", r.restore_id,
                    "Record the restore under this id (a UUID) in backup_restores, to follow it "
                    "(default: a new one)")
        ->check([](const std::string& id) {
          return util::is_uuid(id) ? std::string() : "'" + id + "' is not a UUID";
        });
    sub->add_option("--requested-by", r.requested_by,
                    "Who asked (default: cron, or your login name on a terminal)");
  }
  const std::pair<CLI::App*, Command> commands[] = {{list, Command::list},
                                                    {files, Command::files},
                                                    {database, Command::db},
                                                    {verify, Command::verify},
                                                    {fetch, Command::fetch}};
  for (auto [sub, command] : commands)
    sub->callback([&r, command] { r.command = command; });
}

std::string_view name_of(Command command) {
  constexpr std::string_view k_names[] = {"list", "files", "db", "verify", "fetch"};
  return k_names[static_cast<std::size_t>(command)];
}

namespace {

// A restore stopped by SIGINT or SIGTERM fails as interrupted (130), whatever the child said.
Result<ExitStatus> interrupted_as_such(Result<ExitStatus> result) {
  if (result || proc::interrupted() == 0)
    return result;
  return fail(ExitStatus::interrupted, std::string("interrupted by ") +
                                           strsignal(proc::interrupted()) + ": " +
                                           result.error().message);
}

// A drill is remembered in backup_restore_drills (the digest shows them); a catalog that
// cannot take it costs a warning, never the drill's result.
Result<ExitStatus> recorded_drill(const config::Options& options, const RestoreRequest& r,
                                  const std::function<Result<ExitStatus>()>& drill) {
  const auto started = util::now_unix();
  const auto started_ms = util::monotonic_ms();
  auto result = interrupted_as_such(drill());
  std::string source = r.from.empty() ? "the newest backup" : r.from;
  if (!r.copy.empty())
    source += " of the copy " + util::redact_url_passwords(r.copy);
  record_drill(options, {.started_at = started,
                         .duration_ms = util::monotonic_ms() - started_ms,
                         .source = source,
                         .status = ending_of(result),
                         .error = result ? std::nullopt
                                         : std::optional<std::string>(result.error().message)});
  return result;
}

// A drill: the newest backup (or --from) of the target, or a cloud copy (--copy), restored into
// scratch places and checked.
Result<ExitStatus> drill(const config::Options& options, const RestoreRequest& r) {
  ping::work_begins(); // a restore drill is a job the monitoring services hear of
  if (!r.copy.empty())
    return recorded_drill(options, r, [&] { return verify_copy(options, r); });
  OM_TRY(target, restore_target(options, r.from));
  return recorded_drill(options, r, [&]() -> Result<ExitStatus> {
    OM_TRY(client, borg::client_for(target, options.borg_command, std::chrono::hours(24)));
    return verify_restore(options, r, target, client);
  });
}

// files or db: the application files into a folder, or a dump into a database or a file,
// recorded in backup_restores.
Result<ExitStatus> restore_backup(const config::Options& options, const RestoreRequest& r) {
  OM_TRY(target, restore_target(options, r.from));
  const bool files = r.command == Command::files;
  if (!files)
    OM_TRY_VOID(check_db_destination(r)); // a mistyped command is no restore to record
  OM_TRY(source, resolve(options, target, r.from, files ? "files" : "database"));
  const std::string destination =
      files ? r.to_dir : (r.database.empty() ? r.to_file : "database " + r.database);
  const auto requested_by = attempt::requester(r.requested_by);
  std::optional<std::string> log_path;
  if (!options.dry_run) {
    auto log = log::open_run_log(options.log_dir,
                                 "om-backup-restore: " + requested_by + " on " + util::host_name() +
                                     " restores " + std::string(name_of(r.command)) + " from " +
                                     source.describe() + " to " + destination,
                                 "restore");
    if (log)
      log_path = *log;
    else
      spdlog::warn("restoring without a log: {}", log.error().message);
  }
  // A legacy file needs no borg and no passphrase.
  auto client = source.borg ? borg::client_for(target, options.borg_command, std::chrono::hours(24))
                            : Result<borg::Client>(borg::Client(options.borg_command, {}, {}));
  if (!client)
    return std::unexpected(client.error());
  if (source.borg)
    OM_TRY_VOID(borg::require_passphrase(client->passphrase()));
  std::unique_ptr<RestoreRecord> record;
  if (!options.dry_run) {
    RestoreInfo info{r.restore_id.empty() ? util::uuid_v4() : r.restore_id,
                     std::string(name_of(r.command)),
                     source.describe(),
                     util::is_uuid(r.from) ? std::optional<std::string>(r.from) : std::nullopt,
                     destination,
                     requested_by,
                     log_path};
    OM_TRY(begun, RestoreRecord::begin(options, std::move(info)));
    record = std::move(begun);
  }
  auto* row = record ? &record->progress() : nullptr;
  auto result = interrupted_as_such(files ? restore_files(options, r, source, *client, row)
                                          : restore_db(options, r, source, *client, row));
  if (record)
    record->end(result);
  if (!result)
    spdlog::info("restore failed: {}", result.error().message);
  else if (!options.dry_run)
    spdlog::info("restore finished");
  return result;
}

} // namespace

Result<ExitStatus> run_restore(const config::Options& options, const RestoreRequest& r) {
  switch (r.command) {
  case Command::list: {
    if (options.only_targets.empty())
      return list_backups(options, r);
    OM_TRY(target, restore_target(options, r.from));
    return list_archives(options, target);
  }
  case Command::fetch:
    return fetch(options, r);
  case Command::verify:
    return drill(options, r);
  case Command::files:
  case Command::db:
    return restore_backup(options, r);
  }
  return fail(ExitStatus::usage, "unknown restore command");
}

} // namespace om::restore
