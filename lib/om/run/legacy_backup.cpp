#include <om/run/legacy_backup.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <string_view>

#include <date/tz.h>
#include <dirent.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <om/db/client_credentials.hpp>
#include <om/jobs/manifest.hpp>
#include <om/legacy/artifact_file.hpp>
#include <om/legacy/gzip_check.hpp>
#include <om/legacy/stream_check.hpp>
#include <om/proc/interrupt.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/run.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::run {
namespace {

namespace fs = std::filesystem;

// What one artifact of the job became.
struct Written {
  std::string type; // files | database
  legacy::ArtifactFile file;
  std::string sha256;
  std::size_t entries = 0; // files archived, or tables dumped
  std::vector<std::string> sources;
  std::vector<std::string> warnings;
};

std::string pigz_level(int compression_level) {
  return "-" + std::to_string(std::clamp(compression_level, 1, 9));
}

proc::Command pigz(const config::Options& o) {
  proc::Command c;
  c.argv = {"pigz", "--stdout", "--processes", "2", pigz_level(o.compression_level)};
  return c;
}

// tar's arguments: the tree as <basename>/…, node_modules never, uploads as the settings say.
std::vector<std::string> tar_args(const config::Options& o, std::vector<std::string>& sources) {
  fs::path prod(o.prod_root);
  fs::path uploads(o.effective_uploads_dir());
  std::vector<std::string> a = {"tar",
                                "--create",
                                "--file=-",
                                "--verbose",
                                "--quoting-style=escape",
                                "--exclude=node_modules"};
  bool uploads_inside = uploads.string().starts_with(prod.string() + "/");
  if (uploads_inside && !o.include_uploads)
    a.push_back("--exclude=" + (prod.filename() / fs::relative(uploads, prod)).string());
  a.insert(a.end(), {"--directory=" + prod.parent_path().string(), prod.filename().string()});
  sources.push_back(prod.string());
  if (o.include_uploads && !uploads_inside) {
    a.insert(a.end(),
             {"--directory=" + uploads.parent_path().string(), uploads.filename().string()});
    sources.push_back(uploads.string());
  }
  return a;
}

// tar's messages about single files (unreadable, vanished, changed) are warnings: the rest
// of the tree is in the archive. Anything else it says is a failure.
bool is_per_file_problem(std::string_view message) {
  static constexpr std::array<std::string_view, 9> k_per_file = {
      "Cannot open",
      "Cannot stat",
      "Cannot read",
      "file changed as we read it",
      "File removed before we read it",
      "socket ignored",
      "Cannot readlink",
      "Cannot savedir",
      "Exiting with failure status due to previous errors"};
  return std::ranges::any_of(k_per_file, [&](std::string_view what) {
    return message.find(what) != std::string_view::npos;
  });
}

Result<Written> write_files(const LegacyBackup& b, const std::string& path) {
  OM_TRY(file, legacy::ArtifactFile::create(path));
  Written w{"files", std::move(file), "", 0, {}, {}};
  auto& progress = b.recorder.progress();
  progress.phase("files");
  std::int64_t written = 0;
  std::string current;
  std::vector<std::string> errors;
  OM_TRY(pipe, proc::make_pipe());
  std::vector<proc::Command> cmds(2);
  cmds[0].argv = tar_args(b.options, w.sources);
  cmds[0].stdout_fd = pipe.write_end.release();
  cmds[1] = pigz(b.options);
  cmds[1].stdin_fd = pipe.read_end.release();
  std::vector<proc::Streams> streams(2);
  streams[0].on_stderr_line = [&](std::string_view line) {
    if (line.starts_with("tar: ")) {
      spdlog::info("{}", line);
      if (line.find("Exiting with failure status") == std::string_view::npos)
        (is_per_file_problem(line) ? w.warnings : errors).emplace_back(line.substr(5));
    } else if (!line.ends_with("/")) {
      ++w.entries;
      current = line;
    }
  };
  streams[1].on_stdout_data = [&](std::string_view chunk) {
    w.file.write(chunk);
    written += static_cast<std::int64_t>(chunk.size());
    progress.counts(static_cast<std::int64_t>(w.entries), written, written, 0, current);
  };
  streams[1].on_stderr_line = [&](std::string_view line) { errors.emplace_back(line); };
  streams[1].should_stop = [&] { return w.file.failed(); };
  OM_TRY(outcomes, proc::run_together(cmds, streams));
  if (w.file.failed()) // a full disk: said as such, not as the tar or pigz we stopped
    return fail(w.file.error());
  const auto& tar = outcomes[0];
  if (!errors.empty())
    return fail("tar: " + errors.front());
  const bool tar_done = tar.exited_with(0) || tar.exited_with(1) ||
                        (tar.exited_with(2) && !w.warnings.empty()); // per-file problems only
  if (!tar_done)
    return fail("tar " + tar.describe());
  if (!outcomes[1].success())
    return fail("pigz " + outcomes[1].describe());
  return w;
}

Result<Written> write_dump(const LegacyBackup& b, const std::string& path,
                           const std::string& database) {
  OM_TRY(credentials, db::resolve_credentials(b.options.app_db_connection()));
  OM_TRY(defaults, db::ChildDefaultsFile::create(credentials));
  OM_TRY(file, legacy::ArtifactFile::create(path));
  Written w{"database", std::move(file), "", 0, {database}, {}};
  legacy::DumpWatcher watcher;
  proc::Feed to_pigz;
  std::string dump_error;
  auto& progress = b.recorder.progress();
  progress.phase("db");
  std::int64_t dumped = 0;
  std::int64_t written = 0;
  std::vector<proc::Command> cmds(2);
  cmds[0].argv = {b.request.mysqldump, db::ChildDefaultsFile::argument()};
  cmds[0].inherit_fd = defaults.fd();
  for (auto& option : db::mysqldump_options())
    cmds[0].argv.push_back(std::move(option));
  cmds[0].argv.push_back(database);
  cmds[1] = pigz(b.options);
  cmds[1].stdin_feed = &to_pigz;
  std::vector<proc::Streams> streams(2);
  // mysqldump → us (watching for the end of the dump) → pigz → us (hashing) → the file.
  streams[0].on_stdout_data = [&](std::string_view chunk) {
    watcher.feed(chunk);
    to_pigz.write(chunk);
    dumped += static_cast<std::int64_t>(chunk.size());
    progress.counts(0, dumped, written, 0, database);
  };
  streams[0].on_stdout_end = [&] { to_pigz.close(); };
  streams[0].throttle = {&to_pigz};
  streams[0].on_stderr_line = [&](std::string_view line) {
    spdlog::info("mysqldump: {}", line);
    if (dump_error.empty() && !util::trim(line).empty())
      dump_error = util::first_line(line);
  };
  streams[1].on_stdout_data = [&](std::string_view chunk) {
    w.file.write(chunk);
    written += static_cast<std::int64_t>(chunk.size());
  };
  streams[1].should_stop = [&] { return w.file.failed(); };
  OM_TRY(outcomes, proc::run_together(cmds, streams));
  if (w.file.failed())
    return fail(w.file.error());
  if (!outcomes[0].success())
    return fail("database dump failed: " +
                (dump_error.empty() ? "mysqldump " + outcomes[0].describe() : dump_error));
  if (!watcher.completed())
    return fail("database dump failed: the dump does not end with '-- Dump completed'");
  if (!outcomes[1].success())
    return fail("pigz " + outcomes[1].describe());
  w.entries = watcher.tables();
  return w;
}

std::string tool_version(const std::string& program) {
  proc::Command c;
  c.argv = {program, "--version"};
  c.timeout = std::chrono::seconds(10);
  auto r = proc::run(c);
  if (!r || !r->success())
    return "unknown";
  auto text = r->stdout_text.empty() ? r->stderr_text : r->stdout_text;
  return util::first_line(text);
}

std::string manifest(const LegacyBackup& b, const Written& w) {
  const auto& record = b.recorder.record();
  jobs::FileFacts f{w.type,
                    fs::path(w.file.path()).filename().string(),
                    w.file.size(),
                    w.sha256,
                    {},
                    {},
                    static_cast<std::int64_t>(w.entries),
                    {}};
  if (w.type == "files")
    f.sources = w.sources;
  else
    f.database = w.sources.front();
  f.tool_versions["om-backup"] = std::string(k_version);
  f.tool_versions["pigz"] = tool_version("pigz");
  if (w.type == "files")
    f.tool_versions["tar"] = tool_version("tar");
  else
    f.tool_versions["mysqldump"] = tool_version(b.request.mysqldump);
  return jobs::file_manifest(
      {"om-backup-run", &record.job, b.host, util::now_unix(), record.details.log_path}, f);
}

void remove_empty(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_empty(dir, ec))
    fs::remove(dir, ec);
}

} // namespace

attempt::Outcome run_legacy_backup(const LegacyBackup& b) {
  const auto& o = b.options;
  const bool files = b.kind == jobs::Kind::files || b.kind == jobs::Kind::both;
  const bool dump = b.kind == jobs::Kind::db || b.kind == jobs::Kind::both;
  if (files) {
    DIR* d = ::opendir(o.prod_root.c_str());
    if (d == nullptr)
      return attempt::Outcome::failed(
          ExitStatus::failed, "source " + o.prod_root + " cannot be read: " + std::strerror(errno));
    ::closedir(d);
  }
  const auto database = o.effective_app_db();
  if (dump && database.empty())
    return attempt::Outcome::failed(ExitStatus::config,
                                    "no database to dump: set --app-db or --db-name");

  const auto* tz = date::current_zone();
  fs::path day = fs::path(o.backup_root) / util::format_time(b.now, tz, "%Y-%m-%d");
  fs::path folder = day / b.recorder.job_id();
  // Our folders, opened without following links; the day's is tightened to 0700 (the old
  // engine made them 0755) through its descriptor, never through a path.
  for (const auto& dir : {day, folder}) {
    auto fd = util::open_private_dir(dir.string(), 0700);
    if (!fd)
      return attempt::Outcome::failed(ExitStatus::failed, fd.error().message);
    ::fchmod(fd->get(), 0700);
  }
  auto stamp = util::format_time(b.now, tz, "%Y%m%d-%H%M%S");

  std::vector<Written> written;
  auto fail_job = [&](const Error& e) {
    written.clear(); // uncommitted files are removed by their destructors
    remove_empty(folder);
    remove_empty(day);
    if (proc::interrupted() != 0)
      return attempt::Outcome::cancelled(std::string("interrupted by ") +
                                         strsignal(proc::interrupted()));
    return attempt::Outcome::failed(e.status, e.message);
  };
  if (files) {
    auto w = write_files(b, (folder / ("files-" + b.host + "-" + stamp + ".tar.gz")).string());
    if (!w)
      return fail_job(w.error());
    written.push_back(std::move(*w));
  }
  if (dump) {
    auto w =
        write_dump(b, (folder / ("db-" + database + "-" + stamp + ".sql.gz")).string(), database);
    if (!w)
      return fail_job(w.error());
    written.push_back(std::move(*w));
  }
  if (proc::interrupted() != 0)
    return fail_job(Error{});
  // Every file is complete and on disk, and its manifest written, before any file gets its
  // name; a name that cannot be given takes the others back: a `both` job is whole or absent.
  std::vector<std::string> manifests;
  auto take_back = [&](const Error& e) {
    for (auto& w : written)
      w.file.withdraw();
    for (const auto& m : manifests)
      ::unlink(m.c_str());
    return fail_job(e);
  };
  for (auto& w : written) {
    auto sha = w.file.complete();
    if (!sha)
      return take_back(sha.error());
    w.sha256 = *sha;
    manifests.push_back(w.file.path() + ".json");
    if (auto r = util::write_file_atomic(manifests.back(), manifest(b, w), 0600); !r)
      return take_back(r.error());
  }
  for (auto& w : written) {
    if (auto published = w.file.publish(); !published)
      return take_back(published.error());
  }
  std::vector<std::string> warnings;
  for (std::size_t i = 0; i < written.size(); ++i) {
    auto& w = written[i];
    if (o.verify_after_backup) {
      if (auto ok = legacy::verify_gzip_file(w.file.path(), w.file.size(), w.sha256); !ok)
        return take_back(ok.error());
    }
    b.recorder.add_artifact(jobs::Artifact{.type = w.type,
                                           .file_path = w.file.path(),
                                           .file_size = w.file.size(),
                                           .sha256 = w.sha256,
                                           .manifest_path = manifests[i]});
    for (auto& warning : w.warnings)
      warnings.push_back(std::move(warning));
  }
  return attempt::Outcome::succeeded(warnings);
}

std::vector<std::string> describe_legacy_backup(const LegacyBackup& b) {
  std::vector<std::string> lines;
  const auto* tz = date::current_zone();
  lines.push_back("folder:     " + (fs::path(b.options.backup_root) /
                                    util::format_time(b.now, tz, "%Y-%m-%d") / "<job-id>")
                                       .string());
  if (b.kind != jobs::Kind::db) {
    std::vector<std::string> sources;
    proc::Command tar;
    tar.argv = tar_args(b.options, sources);
    lines.push_back("files:      " + tar.display() + " | " + pigz(b.options).display());
  }
  if (b.kind != jobs::Kind::files) {
    lines.push_back("dump:       " + util::shell_quote(b.request.mysqldump) +
                    " --defaults-file=(private credentials file) " +
                    util::join(db::mysqldump_options(), " ") + " " + b.options.effective_app_db() +
                    " | " + pigz(b.options).display());
  }
  return lines;
}

} // namespace om::run
