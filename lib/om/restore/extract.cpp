#include <om/restore/extract.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/borg/commands.hpp>
#include <om/borg/progress.hpp>
#include <om/db/catalog.hpp>
#include <om/db/client_credentials.hpp>
#include <om/legacy/artifact_file.hpp>
#include <om/log/progress_line.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/run.hpp>
#include <om/restore/artifact.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::restore {
namespace {

namespace fs = std::filesystem;

std::string tree_in_archive(const config::Options& o) {
  auto rel = o.prod_root;
  while (rel.starts_with("/"))
    rel.erase(0, 1);
  return rel;
}

// borg's progress, shown on the terminal and handed to the restore's row (when given).
std::function<void(const borg::LogLine&)> borg_progress(log::ProgressLine& line,
                                                        progress::JobProgress* row) {
  return [&line, row](const borg::LogLine& l) {
    borg::show_progress(l, line);
    if (row != nullptr && l.type == borg::LogLine::Type::progress_percent && !l.finished)
      row->position(l.current, l.total, l.path);
  };
}

// Runs borg with its progress on the terminal and in the row; a failure is borg's own error
// message.
Result<void> run_borg(const proc::Command& cmd, const std::string& what, log::ProgressLine& line,
                      progress::JobProgress* row) {
  OM_TRY(inv, borg::Client::run_command(cmd, what, borg_progress(line, row)));
  line.clear();
  if (!inv.ok())
    return std::unexpected(inv.error());
  return {};
}

std::string failure(const proc::Command& cmd, const proc::Outcome& out) {
  return cmd.argv.front() + " " + out.describe() + ": " + util::first_line(out.stderr_text);
}

Result<void> extract_borg(const config::Options& o, const RestoreRequest& r, const Source& s,
                          const borg::Client& client, progress::JobProgress* row) {
  // Stored as <prod-root without '/'>/…: strip all but its last part, so the target gets
  // <basename>/… like a legacy tar.
  auto tree = tree_in_archive(o);
  auto depth = std::count(tree.begin(), tree.end(), '/');
  std::vector<std::string> paths;
  if (r.paths.empty())
    paths.push_back(tree);
  for (const auto& p : r.paths)
    paths.push_back(tree + "/" + p);
  auto cmd = client.command(
      borg::cmd::extract(s.path, paths, static_cast<int>(depth), r.progress || row != nullptr));
  cmd.cwd = r.to_dir;
  log::ProgressLine line(r.progress);
  return run_borg(cmd, "extracting " + s.path, line, row);
}

Result<void> extract_tar(const config::Options& o, const RestoreRequest& r, const Source& s,
                         progress::JobProgress* row) {
  OM_TRY(artifact, OpenedArtifact::open(s));
  OM_TRY_VOID(artifact.verify());
  OM_TRY_VOID(artifact.check_tar_members());
  proc::Command cmd;
  cmd.argv = {"tar",    "--extract",          "--gzip",      "--file", "-", "--directory",
              r.to_dir, "--same-permissions", "--same-owner"};
  auto base = fs::path(o.prod_root).filename().string();
  for (const auto& p : r.paths)
    cmd.argv.push_back(base + "/" + p);
  OM_TRY(in, artifact.child_stdin());
  cmd.stdin_fd = in;
  log::ProgressLine line(r.progress);
  proc::Streams streams;
  streams.on_tick = artifact.ticker(line, row);
  auto out = proc::run(cmd, streams);
  line.clear();
  if (!out)
    return std::unexpected(out.error());
  if (!out->success())
    return fail("extracting " + s.path + ": " + failure(cmd, *out));
  return {};
}

// The child whose stdout is the plain SQL dump, and how to tell whether it failed. Stays where
// it was made: its streams point into it.
struct DumpReader {
  proc::Command command;
  proc::Streams streams;
  borg::Invocation borg_run;              // borg extract's messages (borg only)
  std::optional<OpenedArtifact> artifact; // the .sql.gz read (legacy only)
  bool borg = false;

  DumpReader() = default;
  DumpReader(const DumpReader&) = delete;
  DumpReader& operator=(const DumpReader&) = delete;

  // The command, its stdin (a legacy artifact) opened now: proc closes it once it runs.
  [[nodiscard]] Result<proc::Command> ready() const {
    auto cmd = command;
    if (artifact) {
      OM_TRY(in, artifact->child_stdin());
      cmd.stdin_fd = in;
    }
    return cmd;
  }

  [[nodiscard]] Result<void> check(const proc::Outcome& out) {
    if (borg) {
      borg_run.outcome = out;
      if (!borg_run.ok())
        return std::unexpected(borg_run.error());
    } else if (!out.success()) {
      return fail("reading the dump: " + failure(command, out));
    }
    return {};
  }
};

Result<void> open_dump(DumpReader& reader, const borg::Client& client, const Source& s,
                       log::ProgressLine& line, progress::JobProgress* row) {
  if (s.borg) {
    OM_TRY(name, dump_in_archive(client, s));
    reader.borg = true;
    reader.borg_run.what = "extracting " + s.path;
    reader.command =
        client.command(borg::cmd::extract_stdout(s.path, name, line.enabled() || row != nullptr));
    reader.streams = borg::Client::collect(reader.borg_run, borg_progress(line, row), {});
    return {};
  }
  OM_TRY(artifact, OpenedArtifact::open(s));
  OM_TRY_VOID(artifact.verify());
  reader.artifact.emplace(std::move(artifact));
  reader.command.argv = {"gunzip", "--stdout"};
  reader.streams.on_tick = reader.artifact->ticker(line, row);
  return {};
}

bool valid_database_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
  });
}

Result<void> dump_to_file(DumpReader& reader, const std::string& path) {
  OM_TRY(file, legacy::ArtifactFile::create(path));
  reader.streams.on_stdout_data = [&](std::string_view chunk) { file.write(chunk); };
  OM_TRY(cmd, reader.ready());
  OM_TRY(out, proc::run(cmd, reader.streams));
  OM_TRY_VOID(reader.check(out));
  OM_TRY_VOID(file.commit());
  return {};
}

Result<void> load_into(const config::Options& o, const RestoreRequest& r, DumpReader& reader) {
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
  OM_TRY(dump, reader.ready());
  OM_TRY(pipe, proc::make_pipe());
  dump.stdout_fd = pipe.write_end.release();
  proc::Command load;
  // --one-database: statements for any other database (a tampered USE) are ignored.
  load.argv = {"mysql", db::ChildDefaultsFile::argument(), "--one-database", "--binary-mode",
               r.database};
  load.inherit_fd = defaults.fd();
  load.stdin_fd = pipe.read_end.release();
  std::vector<proc::Command> cmds{dump, load};
  std::vector<proc::Streams> streams{reader.streams, {}};
  OM_TRY(outcomes, proc::run_together(cmds, streams));
  OM_TRY_VOID(reader.check(outcomes[0]));
  if (!outcomes[1].success())
    return fail("loading into " + r.database + ": " + failure(load, outcomes[1]));
  return {};
}

} // namespace

Result<void> prepare_folder(const std::string& dir, bool force, const std::string& who,
                            const std::string& verb) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !force)
    return fail(ExitStatus::usage,
                who + dir + " is not empty (use --force to " + verb + " into it)");
  return util::make_dirs(dir, 0700);
}

Result<ExitStatus> restore_files(const config::Options& o, const RestoreRequest& r, const Source& s,
                                 const borg::Client& client, progress::JobProgress* row) {
  if (o.dry_run) {
    std::printf("would restore the application tree%s from %s into %s\n",
                r.paths.empty() ? "" : (" (" + util::join(r.paths, ", ") + ")").c_str(),
                s.describe().c_str(), r.to_dir.c_str());
    return ExitStatus::ok;
  }
  OM_TRY_VOID(prepare_folder(r.to_dir, r.force, "target ", "restore"));
  if (s.borg)
    OM_TRY_VOID(extract_borg(o, r, s, client, row));
  else
    OM_TRY_VOID(extract_tar(o, r, s, row));
  spdlog::info("restored files from {} into {}", s.describe(), r.to_dir);
  return ExitStatus::ok;
}

Result<void> check_db_destination(const RestoreRequest& r) {
  if (r.database.empty() == r.to_file.empty())
    return fail(ExitStatus::usage, "say where the dump goes: --database NAME or --to-file FILE");
  if (!r.database.empty() && !valid_database_name(r.database))
    return fail(ExitStatus::usage, "invalid database name '" + r.database + "'");
  return {};
}

Result<ExitStatus> restore_db(const config::Options& o, const RestoreRequest& r, const Source& s,
                              const borg::Client& client, progress::JobProgress* row) {
  OM_TRY_VOID(check_db_destination(r));
  if (o.dry_run) {
    std::printf("would restore the database dump from %s into %s\n", s.describe().c_str(),
                r.database.empty() ? r.to_file.c_str() : ("database " + r.database).c_str());
    return ExitStatus::ok;
  }
  log::ProgressLine line(r.progress);
  DumpReader reader;
  OM_TRY_VOID(open_dump(reader, client, s, line, row));
  if (!r.to_file.empty()) {
    OM_TRY_VOID(dump_to_file(reader, r.to_file));
    line.clear();
    spdlog::info("extracted the dump from {} to {}", s.describe(), r.to_file);
  } else {
    OM_TRY_VOID(load_into(o, r, reader));
    line.clear();
    spdlog::info("loaded the dump from {} into database {}", s.describe(), r.database);
  }
  return ExitStatus::ok;
}

} // namespace om::restore
