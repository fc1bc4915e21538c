#include <om/copy/copy_job.hpp>

#include <iostream>
#include <map>

#include <spdlog/spdlog.h>

#include <om/borg/commands.hpp>
#include <om/borg/held_lock.hpp>
#include <om/borg/target_client.hpp>
#include <om/jobs/manifest.hpp>
#include <om/proc/interrupt.hpp>
#include <om/util/files.hpp>
#include <om/util/time.hpp>

namespace om::copy {
namespace {

// Beyond borg's own --lock-wait, how long borg may take to start `cat`.
constexpr int k_lock_start_slack_s = 60;

// The failures of one job, in order; the first one's status is the job's exit, and its
// message the tool's error line; the others are warnings.
struct Failures {
  std::vector<std::string> messages;
  std::optional<ExitStatus> first;
  void add(const Error& e) {
    if (first)
      spdlog::warn("{}", e.message);
    else
      spdlog::info("failed: {}", e.message);
    messages.push_back(e.message);
    if (!first)
      first = e.status;
  }
};

std::string version_of(const Rclone& rclone) {
  auto v = rclone.version();
  return v ? *v : std::string("unknown");
}

Result<std::string> write_manifest(const CopyJob& job, const jobs::CopyFacts& facts,
                                   std::size_t n) {
  const auto& record = job.recorder.record();
  auto text = jobs::copy_manifest({"om-backup-copy", &record.job, record.details.host,
                                   util::now_unix(), record.details.log_path},
                                  facts);
  return jobs::write_manifest_file(job.options.state_dir, record.job.id,
                                   ".copy-" + std::to_string(n), text);
}

// borg check --repository-only of a target's repository: cheap (no decryption), and it finds
// damaged segments before they are copied over the good copy.
Result<void> check_repository(const borg::Client& client, const config::Target& target) {
  OM_TRY(inv, client.run(borg::cmd::check_repository(target.repo)));
  if (!inv.ok())
    return std::unexpected(inv.error().context("borg check --repository-only of " + target.repo +
                                               " failed; not copied"));
  return {};
}

// One target: checked, locked, copied to each destination.
void copy_target(const CopyJob& job, const config::Target& target, Failures& failures,
                 std::string& version) {
  const auto& options = job.options;
  auto fail_all = [&](const Error& e) {
    for (const auto& destination : target.copy_to)
      failures.add(e.context("copy to " + destination));
  };
  auto client = borg::client_for(target, options.borg_command,
                                 std::chrono::seconds(job.request.borg_timeout_s));
  if (!client)
    return fail_all(client.error());
  auto& job_progress = job.recorder.progress();
  job_progress.phase("check");
  if (job.request.no_check) {
    spdlog::info("--no-check: {} is copied without borg check --repository-only", target.repo);
  } else if (auto checked = check_repository(*client, target); !checked) {
    return fail_all(checked.error());
  }
  auto held = borg::HeldLock::acquire(
      client->command(borg::cmd::with_lock(target.repo, {"cat"})), target.repo,
      std::chrono::seconds(target.lock_wait_s.value_or(1) + k_lock_start_slack_s));
  if (!held)
    return fail_all(held.error());

  CopySettings settings{
      &job.rclone, options.copy_max_delete, options.copy_keep_days, job.request.force, job.now,
      nullptr};
  log::ProgressLine progress(job.request.progress);
  settings.progress = &progress;
  settings.job_progress = &job_progress;
  job_progress.phase("copy");
  for (const auto& destination : target.copy_to) {
    if (proc::interrupted() != 0)
      break;
    auto copied = copy_repository(settings, target.repo, destination);
    if (!copied) {
      failures.add(copied.error());
      continue;
    }
    if (version.empty())
      version = version_of(job.rclone);
    jobs::CopyFacts facts{target.name,
                          target.repo,
                          destination,
                          copied->backup_dir,
                          copied->plan.source_files,
                          copied->plan.source_bytes,
                          copied->uploaded_bytes,
                          copied->uploaded_files,
                          copied->plan.deleted_files,
                          !job.request.no_check,
                          version,
                          copied->stats.bytes,
                          copied->stats.transfers,
                          copied->stats.checks,
                          copied->stats.deletes,
                          copied->stats.renames,
                          copied->stats.errors};
    spdlog::info("copied {} to {}: {} files, {} bytes transferred; it holds {} files, {} bytes",
                 target.repo, destination, facts.files_transferred, facts.bytes_transferred,
                 facts.destination_files, facts.destination_bytes);
    auto manifest = write_manifest(job, facts, job.recorder.record().artifacts.size());
    if (!manifest)
      spdlog::warn("manifest of the copy to {}: {}", destination, manifest.error().message);
    jobs::Artifact artifact;
    artifact.type = "copy";
    artifact.file_path = destination;
    artifact.file_size = facts.destination_bytes;
    if (manifest)
      artifact.manifest_path = *manifest;
    job.recorder.add_artifact(std::move(artifact));
  }
  if (auto released = held->release(); !released)
    spdlog::warn("{}", released.error().message);
}

} // namespace

attempt::Outcome copy_targets(const CopyJob& job) {
  Failures failures;
  std::string version;
  for (const auto& target : job.targets) {
    if (proc::interrupted() != 0)
      break;
    copy_target(job, target, failures, version);
  }
  if (proc::interrupted() != 0)
    return attempt::Outcome::cancelled("interrupted");
  if (failures.messages.empty())
    return attempt::Outcome{};
  auto error = failures.messages.front();
  if (failures.messages.size() > 1)
    error += " (+" + std::to_string(failures.messages.size() - 1) + " more)";
  return attempt::Outcome::failed(*failures.first, error);
}

Result<std::vector<config::Target>> copy_sources(const config::Options& options) {
  OM_TRY(targets, config::resolve_targets(options));
  std::vector<config::Target> sources;
  std::map<std::string, std::string> owner; // destination (its backup dir) → its target
  for (auto& t : targets) {
    if (t.copy_to.empty())
      continue;
    if (t.is_remote())
      return fail(ExitStatus::config,
                  "target '" + t.name + "' (" + t.repo +
                      "): copy-to needs the repository on this machine; run om-backup-copy on "
                      "the repository's server instead");
    for (const auto& destination : t.copy_to) {
      OM_TRY(root, backup_dir_root(destination)); // also the destination, however spelled
      auto [it, fresh] = owner.emplace(root, t.name);
      if (!fresh)
        return fail(ExitStatus::config, "copy-to " + destination + " is given for target '" +
                                            it->second + "' and for '" + t.name +
                                            "': each repository needs a destination of its own");
    }
    sources.push_back(std::move(t));
  }
  if (sources.empty())
    return fail(
        ExitStatus::config,
        "nothing to copy: no target has a copy-to destination (a copy-to line in " +
            (options.config_file.empty() ? std::string("the config file") : options.config_file) +
            ", or --copy-to REMOTE:PATH)");
  if (!options.rclone_config.empty() && !util::path_exists(options.rclone_config))
    return fail(ExitStatus::config, "rclone-config " + options.rclone_config + ": no such file");
  return sources;
}

Result<ExitStatus> print_copy_plan(const config::Options& options,
                                   const std::vector<config::Target>& targets, const Rclone& rclone,
                                   bool force) {
  CopySettings settings{&rclone, options.copy_max_delete, options.copy_keep_days, force, 0,
                        nullptr};
  auto status = ExitStatus::ok;
  for (const auto& target : targets) {
    OM_TRY(source, local_files(target.repo));
    for (const auto& destination : target.copy_to) {
      OM_TRY(plan, plan_destination(settings, source, destination));
      std::cout << "copy " << target.repo << " (" << target.name << ") to " << destination << ": "
                << plan.new_segments << " new segments (" << plan.new_bytes << " bytes), "
                << plan.deleted_files << " files removed (" << plan.deleted_segments << " of "
                << plan.destination_segments << " data segments), " << plan.replaced_segments
                << " segments replaced\n";
      if (plan.refusal) {
        std::cout << "  would stop: " << *plan.refusal << "\n";
        status = ExitStatus::failed;
      }
    }
  }
  return status;
}

} // namespace om::copy
