#include <om/run/borg_backup.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <memory>

#include <dirent.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/borg/archive_name.hpp>
#include <om/borg/commands.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/progress.hpp>
#include <om/db/client_credentials.hpp>
#include <om/jobs/history.hpp>
#include <om/log/progress_line.hpp>
#include <om/proc/interrupt.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/run.hpp>
#include <om/progress/progress_store.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/prune/freeze.hpp>
#include <om/run/anomaly.hpp>
#include <om/run/borg_create.hpp>
#include <om/run/change_recording.hpp>
#include <om/run/manifest.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::run {
namespace {

// How a target is named in the log: not at all when it is the only, local one.
std::string who(const BorgBackup& b) {
  return b.target.name == config::k_local_target ? "" : b.target.name;
}

bool is_local(const std::string& repo) {
  return repo.starts_with("/") || repo.starts_with("file://");
}

std::optional<attempt::Outcome> preflight(const BorgBackup& b) {
  if (auto r = borg::require_passphrase(b.client.passphrase()); !r)
    return attempt::Outcome::failed(r.error().status, r.error().message);
  if (is_local(b.plan.repo)) {
    auto parent = std::filesystem::path(b.plan.repo).parent_path().string();
    if (!std::filesystem::is_directory(parent))
      return attempt::Outcome::failed(ExitStatus::failed, "repository " + b.plan.repo +
                                                              ": its parent folder " + parent +
                                                              " does not exist");
  }
  for (const auto& source : b.plan.sources) {
    DIR* dir = ::opendir(source.c_str());
    if (dir == nullptr)
      return attempt::Outcome::failed(
          ExitStatus::failed, "source " + source + " cannot be read: " + std::strerror(errno));
    ::closedir(dir);
  }
  return std::nullopt;
}

std::optional<attempt::Outcome> init_repository(const BorgBackup& b) {
  spdlog::info("initialising repository {} ({})", b.plan.repo, b.request.encryption);
  auto init =
      b.client.run(borg::cmd::init(b.plan.repo, b.request.encryption), log_to_job(nullptr, who(b)));
  if (!init)
    return attempt::Outcome::failed(init.error().status, init.error().message);
  if (!init->ok()) {
    auto e = init->error();
    return attempt::Outcome::failed(e.status, e.message);
  }
  return std::nullopt;
}

// Initialises the repository if, and only if, it does not exist. A local one is looked at
// directly (a borg call costs most of a second); a remote one is asked with borg info.
std::optional<attempt::Outcome> ensure_repository(const BorgBackup& b) {
  if (is_local(b.plan.repo)) {
    auto path = b.plan.repo.starts_with("file://") ? b.plan.repo.substr(7) : b.plan.repo;
    std::error_code ec;
    if (std::filesystem::exists(path + "/config", ec))
      return std::nullopt;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_empty(path, ec))
      return attempt::Outcome::failed(ExitStatus::failed,
                                      "repository " + b.plan.repo +
                                          " exists but is not a borg repository "
                                          "(no config file): not initialising over it");
    return init_repository(b);
  }
  auto info = b.client.run(borg::cmd::info(b.plan.repo), log_to_job(nullptr, who(b)));
  if (!info)
    return attempt::Outcome::failed(info.error().status, info.error().message);
  if (info->ok())
    return std::nullopt;
  if (info->error_kind != borg::ErrorKind::repo_missing) {
    auto e = info->error();
    return attempt::Outcome::failed(e.status, e.message);
  }
  return init_repository(b);
}

// Deletes what a failed create may have left: the archive and its checkpoint.
void remove_archive(const BorgBackup& b) {
  for (const auto& name : {b.plan.archive, b.plan.archive + ".checkpoint"}) {
    auto del = b.client.run(borg::cmd::delete_archive(borg::cmd::location(b.plan.repo, name)),
                            log_to_job(nullptr, who(b)));
    if (del && del->ok())
      spdlog::info("deleted archive {} of the failed backup", name);
  }
}

// The dump inside the archive ends with mysqldump's completion line.
std::optional<std::string> verify_dump(const BorgBackup& b) {
  std::string last;
  auto extract =
      b.client.run(borg::cmd::extract_stdout(b.plan.archive_location(), b.plan.dump_name, false),
                   log_to_job(nullptr, who(b)), [&last](std::string_view line) {
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
  if (!b.target.prune) {
    spdlog::info("target {}: prune = no, its retention is left to the repository's owner",
                 b.target.name);
    return {};
  }
  const auto& policy = b.plan.policy;
  if (policy.keeps_nothing()) {
    spdlog::info("no keep_* rule is set: not pruning");
    return {};
  }
  if (b.store != nullptr) {
    auto frozen = prune::prune_frozen(b.store->catalog());
    if (!frozen) { // the catalog went away: left for the next run, as the record is spooled
      spdlog::info("target {}: prune skipped: whether an anomaly froze it cannot be read: {}",
                   b.target.name, frozen.error().message);
      return {};
    }
    if (*frozen) {
      spdlog::info("target {}: prune skipped: {}", b.target.name, **frozen);
      return {"prune skipped: " + **frozen};
    }
  }
  auto pruned =
      prune::prune_borg(b.client, b.plan.repo, b.plan.prefix, policy, false,
                        [&b](std::string_view phase) { b.recorder.progress().phase(phase); });
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

// Whether borg should report its running counts for the job's progress row. borg's
// --progress costs a little per file (1-2 % of a nightly backup that finds every file
// unchanged); a backup that took under k_progress_worth_ms last time shows its phases and
// its end without them. Unknown (a first backup): yes.
constexpr std::int64_t k_progress_worth_ms = 10'000;
bool wants_borg_progress(const BorgBackup& b) {
  if (!b.request.record_progress || b.store == nullptr)
    return false;
  auto previous = progress::previous_duration_ms(b.store->catalog(), jobs::Kind::borg,
                                                 b.target.name, b.recorder.job_id());
  return !previous || !*previous || **previous >= k_progress_worth_ms;
}

attempt::Outcome interrupted_outcome() {
  return attempt::Outcome::cancelled(std::string("interrupted by ") +
                                     strsignal(proc::interrupted()));
}

// One target's part of the job, as it goes.
struct Leg {
  const BorgBackup* b;
  jobs::TargetResult result;
  std::int64_t started_ms = 0;
  std::optional<attempt::Outcome> ended; // set once the target failed (or the whole run stopped)
  std::vector<std::string> warnings;
  std::unique_ptr<ChangeRecording> changes; // null: not recorded (off, or not created)
};

void record(Leg& leg) {
  leg.b->recorder.set_target(leg.result);
}

void end_leg(Leg& leg, attempt::Outcome outcome) {
  leg.result.status = outcome.status;
  leg.result.error = outcome.error;
  leg.result.finished_at = util::now_unix();
  leg.result.duration_ms = util::monotonic_ms() - leg.started_ms;
  // The planned name stays only while an archive (or its checkpoint) may exist under it.
  if (outcome.status == jobs::Status::failed && !leg.result.archive_id)
    leg.result.archive_name.reset();
  if (!outcome.ok() && leg.b->target.name != config::k_local_target)
    spdlog::warn("target {} failed: {}", leg.b->target.name, outcome.error.value_or(""));
  leg.ended = std::move(outcome);
  record(leg);
}

// After its create: the archive checked, its manifest and artifact, then prune and compact.
attempt::Outcome finish_leg(Leg& leg, const borg::Invocation& create, bool first) {
  const auto& b = *leg.b;
  if (!create.ok() && !create.warned()) {
    auto e = create.error();
    return attempt::Outcome::failed(e.status, e.message);
  }
  auto created = borg::parse_create(create.outcome.stdout_text);
  if (!created)
    return attempt::Outcome::failed(ExitStatus::failed, created.error().message);
  leg.result.archive_name = created->archive.name;
  leg.result.archive_id = created->archive.id;
  leg.result.original_size = created->archive.stats.original_size;
  leg.result.compressed_size = created->archive.stats.compressed_size;
  leg.result.deduplicated_size = created->archive.stats.deduplicated_size;
  if (first) {
    b.recorder.set_archive(created->archive.name, created->archive.id);
    const auto& stats = created->archive.stats; // the create's totals, whatever progress said
    b.recorder.progress().counts(stats.nfiles, stats.original_size, stats.compressed_size,
                                 stats.deduplicated_size, "");
  }
  record(leg);
  auto& warnings = leg.warnings;
  if (leg.changes) {
    leg.changes->finish(created->archive.name, created->archive.stats.nfiles,
                        created->archive.stats.original_size);
    // One judgement per job (every target's archive holds the same changes): the first's.
    if (first && leg.changes->recorded() && b.store != nullptr) {
      if (auto anomaly = judge_changes(b, *leg.changes->recorded(), created->archive.name))
        warnings.push_back(std::move(*anomaly));
    }
  }

  for (const auto& w : create.warnings)
    warnings.push_back(util::first_line(w.message));
  if (create.warned() && warnings.empty())
    warnings.emplace_back("borg create finished with warnings (rc 1)");
  if (b.options.verify_after_backup) {
    b.recorder.progress().phase("verify");
    auto check = b.client.run(b.plan.check_args, log_to_job(nullptr, who(b)));
    if (!check || !check->ok())
      return attempt::Outcome::failed(ExitStatus::failed,
                                      "verification: " +
                                          (check ? check->error().message : check.error().message));
    if (!b.plan.database.empty()) {
      if (auto bad = verify_dump(b)) {
        remove_archive(b);
        return attempt::Outcome::failed(ExitStatus::failed, *bad + " (the archive was deleted)");
      }
    }
  }
  auto manifest = write_borg_manifest(b, *created, first);
  if (!manifest)
    warnings.push_back(manifest.error().message);
  b.recorder.add_artifact(jobs::Artifact{
      .type = "borg",
      .file_path = b.plan.repo + "::" + created->archive.name,
      .file_size = created->archive.stats.compressed_size,
      .sha256 = created->archive.id,
      .manifest_path = manifest ? std::optional<std::string>(*manifest) : std::nullopt});
  for (auto& w : prune_and_compact(b))
    warnings.push_back(std::move(w));
  return attempt::Outcome::succeeded(warnings);
}

// The job's outcome from its targets'. One target: its own. Several: success when all
// succeeded, a warning naming each failed one when some did, a failure when none did.
attempt::Outcome combine(const std::vector<Leg>& legs) {
  if (legs.size() == 1)
    return *legs.front().ended;
  std::vector<std::string> warnings;
  std::vector<std::string> failures;
  for (const auto& leg : legs) {
    const auto& name = leg.b->target.name;
    if (leg.ended->ok()) {
      for (const auto& w : leg.warnings)
        warnings.push_back("target " + name + ": " + w);
    } else {
      failures.push_back("target " + name + " failed: " + leg.ended->error.value_or("?"));
    }
  }
  if (failures.size() == legs.size())
    return attempt::Outcome::failed(ExitStatus::failed, util::join(failures, "; "));
  failures.insert(failures.end(), warnings.begin(), warnings.end());
  return attempt::Outcome::succeeded(failures);
}

// Who watches the creates: the terminal and the job's progress row (the first target's), and
// each target's change recording, with the arguments each needs of borg.
CreateWatchers watch(const BorgBackup& first, const std::vector<Leg*>& ready_legs,
                     log::ProgressLine& terminal) {
  CreateWatchers watchers{terminal, &first.recorder.progress(), {}, {}};
  for (auto* leg : ready_legs) {
    if (leg->b->request.record_changes)
      leg->changes = std::make_unique<ChangeRecording>(*leg->b);
    watchers.collectors.push_back(leg->changes ? leg->changes->collector() : nullptr);
    watchers.list_args.push_back(leg->changes ? leg->changes->create_args()
                                              : std::vector<std::string>{});
  }
  if (ready_legs.front()->b == &first && !first.request.progress && wants_borg_progress(first))
    watchers.list_args.front().emplace_back("--progress");
  return watchers;
}

} // namespace

attempt::Outcome run_borg_backup(std::span<const BorgBackup> targets) {
  std::vector<Leg> legs;
  for (const auto& b : targets) {
    Leg leg{&b, {}, util::monotonic_ms(), std::nullopt, {}, nullptr};
    leg.result.target = b.target.name;
    leg.result.repository = b.plan.repo;
    leg.result.started_at = util::now_unix();
    leg.result.archive_name = b.plan.archive;
    legs.push_back(std::move(leg));
  }
  targets.front().recorder.set_archive(targets.front().plan.archive, "");
  // Pre-flight and init, target by target: one that cannot be reached fails alone.
  std::vector<const BorgBackup*> ready;
  std::vector<Leg*> ready_legs;
  for (auto& leg : legs) {
    record(leg);
    if (auto failed = preflight(*leg.b))
      end_leg(leg, *failed);
    else if (auto not_there = ensure_repository(*leg.b))
      end_leg(leg, *not_there);
    else {
      ready.push_back(leg.b);
      ready_legs.push_back(&leg);
    }
    if (proc::interrupted() != 0) {
      for (auto& rest : legs) {
        if (!rest.ended)
          end_leg(rest, interrupted_outcome());
      }
      return interrupted_outcome();
    }
  }
  if (!ready.empty()) {
    log::ProgressLine progress(targets.front().request.progress);
    auto step = create_archives(ready, watch(targets.front(), ready_legs, progress));
    progress.clear();
    if (!step) {
      for (auto* leg : ready_legs)
        end_leg(*leg, attempt::Outcome::failed(step.error().status, step.error().message));
      return combine(legs);
    }
    if (proc::interrupted() != 0) {
      for (auto* leg : ready_legs)
        end_leg(*leg, interrupted_outcome()); // borg leaves a .checkpoint, as it should
      return interrupted_outcome();
    }
    // mysqldump killed by SIGPIPE while every borg failed: its reader went away first (a lost
    // connection, say), and borg's failure is the cause, which finish_leg tells.
    const bool readers_failed = step->dump && step->dump->term_signal == SIGPIPE &&
                                std::ranges::all_of(step->creates, [](const borg::Invocation& c) {
                                  return !c.ok() && !c.warned();
                                });
    if (step->dump && !step->dump->success() && !readers_failed) {
      auto why =
          step->dump_error.empty() ? "mysqldump " + step->dump->describe() : step->dump_error;
      for (auto* leg : ready_legs) {
        remove_archive(*leg->b);
        end_leg(*leg,
                attempt::Outcome::failed(ExitStatus::failed, "database dump failed: " + why +
                                                                 " (the archive was deleted)"));
      }
      // Every target holds the same dump: it failed for all of them, and so the job did.
      return attempt::Outcome::failed(ExitStatus::failed, "database dump failed: " + why +
                                                              " (the archive was deleted)");
    }
    // The first target (local, when there is one) names the job's archive and manifest.
    for (std::size_t i = 0; i < ready_legs.size(); ++i)
      end_leg(*ready_legs[i],
              finish_leg(*ready_legs[i], step->creates[i], ready_legs[i]->b == &targets.front()));
  }
  if (proc::interrupted() != 0)
    return interrupted_outcome();
  return combine(legs);
}

std::vector<std::string> describe_borg_backup(std::span<const BorgBackup> targets) {
  std::vector<std::string> lines;
  const auto& first = targets.front();
  for (const auto& b : targets)
    lines.push_back("target:     " + b.target.name + " " + b.plan.repo + " (initialised if " +
                    "missing, " + b.request.encryption + ")" +
                    (b.target.prune ? "" : ", never pruned"));
  lines.push_back("archive:    " + first.plan.archive);
  for (const auto& s : first.plan.sources)
    lines.push_back("source:     " + s);
  if (!first.plan.database.empty()) {
    proc::Command dump;
    dump.argv = first.plan.dump_args;
    lines.push_back("dump:       " + util::shell_quote(first.request.mysqldump) +
                    " --defaults-file=(private credentials file) " + dump.display() +
                    " | (stdin of borg create, stored as " + first.plan.dump_name + ")" +
                    (targets.size() > 1 ? ", once for every target" : ""));
  }
  for (const auto& b : targets) {
    lines.push_back("run:        " + b.client.command(b.plan.create_args).display());
    if (b.target.prune && !b.plan.prune_args.empty())
      lines.push_back("run:        " + b.client.command(b.plan.prune_args).display());
    if (b.target.prune)
      lines.push_back("run:        " + b.client.command(b.plan.compact_args).display());
    if (b.options.verify_after_backup)
      lines.push_back("run:        " + b.client.command(b.plan.check_args).display());
  }
  return lines;
}

} // namespace om::run
