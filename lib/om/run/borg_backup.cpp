#include <om/run/borg_backup.hpp>

#include <filesystem>

#include <dirent.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/borg/archive_name.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/progress.hpp>
#include <om/db/client_credentials.hpp>
#include <om/jobs/history.hpp>
#include <om/log/progress_line.hpp>
#include <om/proc/interrupt.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/run.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/run/manifest.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::run {
namespace {

// Every borg line goes to the job's log; progress goes to the terminal only.
std::function<void(const borg::LogLine&)> log_to_job(log::ProgressLine* progress) {
  return [progress](const borg::LogLine& line) {
    using T = borg::LogLine::Type;
    if (progress != nullptr)
      borg::show_progress(line, *progress);
    if (line.type == T::log_message || line.type == T::text)
      spdlog::info("borg: {}", line.message);
  };
}

bool is_local(const std::string& repo) {
  return repo.starts_with("/") || repo.starts_with("file://");
}

std::optional<Outcome> preflight(const BorgBackup& b) {
  if (auto r = borg::require_passphrase(b.client.passphrase()); !r)
    return Outcome::failed(r.error().status, r.error().message);
  if (is_local(b.plan.repo)) {
    auto parent = std::filesystem::path(b.plan.repo).parent_path().string();
    if (!std::filesystem::is_directory(parent))
      return Outcome::failed(ExitStatus::failed, "repository " + b.plan.repo +
                                                     ": its parent folder " + parent +
                                                     " does not exist");
  }
  for (const auto& source : b.plan.sources) {
    DIR* dir = ::opendir(source.c_str());
    if (dir == nullptr)
      return Outcome::failed(ExitStatus::failed,
                             "source " + source + " cannot be read: " + std::strerror(errno));
    ::closedir(dir);
  }
  return std::nullopt;
}

std::optional<Outcome> init_repository(const BorgBackup& b) {
  spdlog::info("initialising repository {} ({})", b.plan.repo, b.request.encryption);
  auto init = b.client.run({"init", "--encryption", b.request.encryption, b.plan.repo},
                           log_to_job(nullptr));
  if (!init)
    return Outcome::failed(init.error().status, init.error().message);
  if (!init->ok()) {
    auto e = init->error();
    return Outcome::failed(e.status, e.message);
  }
  return std::nullopt;
}

// Initialises the repository if, and only if, it does not exist. A local one is looked at
// directly (a borg call costs most of a second); a remote one is asked with borg info.
std::optional<Outcome> ensure_repository(const BorgBackup& b) {
  if (is_local(b.plan.repo)) {
    auto path = b.plan.repo.starts_with("file://") ? b.plan.repo.substr(7) : b.plan.repo;
    std::error_code ec;
    if (std::filesystem::exists(path + "/config", ec))
      return std::nullopt;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_empty(path, ec))
      return Outcome::failed(ExitStatus::failed, "repository " + b.plan.repo +
                                                     " exists but is not a borg repository "
                                                     "(no config file): not initialising over it");
    return init_repository(b);
  }
  auto info = b.client.run({"info", "--json", b.plan.repo}, log_to_job(nullptr));
  if (!info)
    return Outcome::failed(info.error().status, info.error().message);
  if (info->ok())
    return std::nullopt;
  if (info->error_kind != borg::ErrorKind::repo_missing) {
    auto e = info->error();
    return Outcome::failed(e.status, e.message);
  }
  return init_repository(b);
}

struct CreateStep {
  borg::Invocation create;
  std::optional<proc::Outcome> dump;
  std::string dump_error; // first line mysqldump printed on stderr
};

Result<CreateStep> create_archive(const BorgBackup& b, log::ProgressLine& progress) {
  CreateStep step;
  step.create.what = "borg create";
  auto create_cmd = b.client.command(b.plan.create_args);
  auto create_streams = borg::Client::collect(step.create, log_to_job(&progress), {});
  if (b.plan.database.empty()) {
    auto outcome = proc::run(create_cmd, create_streams);
    if (!outcome)
      return std::unexpected(outcome.error());
    step.create.outcome = std::move(*outcome);
    return step;
  }
  OM_TRY(credentials, db::resolve_credentials(b.options.app_db_connection()));
  OM_TRY(defaults, db::ChildDefaultsFile::create(credentials));
  OM_TRY(pipe, proc::make_pipe());
  proc::Command dump;
  dump.argv = {b.request.mysqldump, db::ChildDefaultsFile::argument()};
  dump.inherit_fd = defaults.fd();
  dump.argv.insert(dump.argv.end(), b.plan.dump_args.begin(), b.plan.dump_args.end());
  dump.stdout_fd = pipe.write_end.release();
  dump.timeout = create_cmd.timeout;
  create_cmd.stdin_fd = pipe.read_end.release();
  proc::Streams dump_streams;
  dump_streams.on_stderr_line = [&step](std::string_view line) {
    spdlog::info("mysqldump: {}", line);
    if (step.dump_error.empty() && !util::trim(line).empty())
      step.dump_error = util::first_line(line);
  };
  std::vector<proc::Command> commands{std::move(dump), std::move(create_cmd)};
  std::vector<proc::Streams> streams{dump_streams, create_streams};
  OM_TRY(outcomes, proc::run_together(commands, streams));
  step.dump = outcomes[0];
  step.create.outcome = outcomes[1];
  return step;
}

// Deletes what a failed create may have left: the archive and its checkpoint.
void remove_archive(const BorgBackup& b) {
  for (const auto& name : {b.plan.archive, b.plan.archive + ".checkpoint"}) {
    auto del = b.client.run({"delete", b.plan.repo + "::" + name}, log_to_job(nullptr));
    if (del && del->ok())
      spdlog::info("deleted archive {} of the failed backup", name);
  }
}

// The dump inside the archive ends with mysqldump's completion line.
std::optional<std::string> verify_dump(const BorgBackup& b) {
  std::string last;
  auto extract = b.client.run({"extract", "--stdout", b.plan.archive_location(), b.plan.dump_name},
                              log_to_job(nullptr), [&last](std::string_view line) {
                                if (!util::trim(line).empty())
                                  last = line;
                              });
  if (!extract)
    return extract.error().message;
  if (!extract->ok())
    return extract->error().message;
  if (!last.starts_with("-- Dump completed"))
    return "verification: the database dump in " + b.plan.archive +
           " is incomplete (no "
           "'-- Dump completed' line)";
  return std::nullopt;
}

std::vector<std::string> prune_and_compact(const BorgBackup& b) {
  prune::RetentionPolicy policy{b.options.keep_hourly, b.options.keep_daily, b.options.keep_weekly,
                                b.options.keep_monthly};
  if (policy.keeps_nothing()) {
    spdlog::info("no keep_* rule is set: not pruning");
    return {};
  }
  auto pruned = prune::prune_borg(b.client, b.plan.repo, b.plan.prefix, policy, false);
  if (!pruned)
    return {"prune failed: " + pruned.error().message};
  auto warnings = pruned->warnings;
  if (!pruned->pruned_ids.empty() && b.store != nullptr) {
    jobs::PruneRecord context{b.recorder.record().details.host,
                              b.recorder.record().job.requested_by, "om-backup-run",
                              prune::describe_policy(policy)};
    if (auto r = jobs::forget_pruned_archives(b.store->catalog(), context, b.plan.repo,
                                              pruned->pruned_ids, pruned->pruned_names);
        !r)
      warnings.push_back("recording pruned archives: " + r.error().message);
  }
  return warnings;
}

Outcome interrupted_outcome() {
  return Outcome::cancelled(std::string("interrupted by ") + strsignal(proc::interrupted()));
}

} // namespace

Outcome run_borg_backup(const BorgBackup& b) {
  if (auto failed = preflight(b))
    return *failed;
  if (auto failed = ensure_repository(b))
    return *failed;
  if (proc::interrupted() != 0)
    return interrupted_outcome();

  b.recorder.set_archive(b.plan.archive, "");
  log::ProgressLine progress(b.request.progress);
  auto step = create_archive(b, progress);
  progress.clear();
  if (!step)
    return Outcome::failed(step.error().status, step.error().message);
  if (proc::interrupted() != 0)
    return interrupted_outcome(); // borg leaves a .checkpoint, as it should
  if (step->dump && !step->dump->success()) {
    remove_archive(b);
    auto why = step->dump_error.empty() ? "mysqldump " + step->dump->describe() : step->dump_error;
    return Outcome::failed(ExitStatus::failed,
                           "database dump failed: " + why + " (the archive was deleted)");
  }
  const auto& create = step->create;
  if (!create.ok() && !create.warned()) {
    auto e = create.error();
    return Outcome::failed(e.status, e.message);
  }
  auto created = borg::parse_create(create.outcome.stdout_text);
  if (!created)
    return Outcome::failed(ExitStatus::failed, created.error().message);
  b.recorder.set_archive(created->archive.name, created->archive.id);

  std::vector<std::string> warnings;
  warnings.reserve(create.warnings.size());
  for (const auto& w : create.warnings)
    warnings.push_back(util::first_line(w.message));
  if (create.warned() && warnings.empty())
    warnings.emplace_back("borg create finished with warnings (rc 1)");
  if (b.options.verify_after_backup) {
    auto check = b.client.run(b.plan.check_args, log_to_job(nullptr));
    if (!check || !check->ok())
      return Outcome::failed(ExitStatus::failed,
                             "verification: " +
                                 (check ? check->error().message : check.error().message));
    if (!b.plan.database.empty()) {
      if (auto bad = verify_dump(b)) {
        remove_archive(b);
        return Outcome::failed(ExitStatus::failed, *bad + " (the archive was deleted)");
      }
    }
  }
  auto manifest = write_borg_manifest(b, *created);
  if (!manifest)
    warnings.push_back(manifest.error().message);
  b.recorder.add_artifact(
      jobs::Artifact{"", "", "borg", b.plan.repo + "::" + created->archive.name,
                     created->archive.stats.compressed_size, created->archive.id,
                     manifest ? std::optional<std::string>(*manifest) : std::nullopt});

  for (auto& w : prune_and_compact(b))
    warnings.push_back(std::move(w));
  if (proc::interrupted() != 0)
    return interrupted_outcome();
  return Outcome::succeeded(warnings);
}

std::vector<std::string> describe_borg_backup(const BorgBackup& b) {
  std::vector<std::string> lines;
  lines.push_back("repository: " + b.plan.repo + " (initialised if missing, " +
                  b.request.encryption + ")");
  lines.push_back("archive:    " + b.plan.archive);
  for (const auto& s : b.plan.sources)
    lines.push_back("source:     " + s);
  if (!b.plan.database.empty()) {
    proc::Command dump;
    dump.argv = b.plan.dump_args;
    lines.push_back("dump:       " + util::shell_quote(b.request.mysqldump) +
                    " --defaults-file=(private credentials file) " + dump.display() +
                    " | (stdin of borg create, stored as " + b.plan.dump_name + ")");
  }
  lines.push_back("run:        " + b.client.command(b.plan.create_args).display());
  if (!b.plan.prune_args.empty())
    lines.push_back("run:        " + b.client.command(b.plan.prune_args).display());
  lines.push_back("run:        " + b.client.command(b.plan.compact_args).display());
  if (b.options.verify_after_backup)
    lines.push_back("run:        " + b.client.command(b.plan.check_args).display());
  return lines;
}

} // namespace om::run
