#include <om/prune/prune_tool.hpp>

#include <cstdio>

#include <date/tz.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/borg/archive_name.hpp>
#include <om/borg/client.hpp>
#include <om/config/catalog.hpp>
#include <om/jobs/history.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/prune/legacy_prune.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/time.hpp>

namespace om::prune {
namespace {

void print(const std::string& line) {
  std::printf("%s\n", line.c_str());
}

} // namespace

Result<ExitStatus> run_prune(config::Options& options, const PruneRequest& request) {
  OM_TRY(catalog, config::open_catalog_with_settings(options));
  RetentionPolicy policy{options.keep_hourly, options.keep_daily, options.keep_weekly,
                         options.keep_monthly};
  if (policy.keeps_nothing())
    return fail(ExitStatus::config, "refusing to delete every backup: keep_hourly, keep_daily, "
                                    "keep_weekly and keep_monthly are all 0");
  const auto host = util::host_name();
  const bool dry = options.dry_run;
  jobs::PruneRecord context{host, util::login_name(), "om-backup-prune", describe_policy(policy)};

  // Never beside a backup: the same locks om-backup-run takes.
  std::optional<lock::HostLock> held;
  if (!dry) {
    OM_TRY(taken,
           lock::HostLock::acquire(options.state_dir, {"", host, static_cast<long>(::getpid()),
                                                       util::now_unix(), "om-backup-prune"}));
    held.emplace(std::move(taken));
  }
  util::JsonWriter json;
  json.begin_object().field("dry_run", dry).field("policy", context.policy);
  std::vector<std::string> warnings;

  if ((request.kind == "borg" || request.kind == "all") && !options.repo.empty()) {
    const std::string lock_name = lock::repository_lock(options.repo);
    if (!dry) {
      OM_TRY(got, catalog.get_lock(lock_name, 0));
      if (!got)
        return fail(ExitStatus::temp_fail, "a backup of " + options.repo + " is running");
    }
    OM_TRY(passphrase, borg::resolve_passphrase(options.passphrase_file));
    OM_TRY_VOID(borg::require_passphrase(passphrase));
    borg::Client client(options.borg_command, passphrase, std::chrono::hours(6));
    OM_TRY(prefix, borg::archive_prefix(request.archive_format, host, util::login_name()));
    OM_TRY(pruned, prune_borg(client, options.repo, prefix, policy, dry));
    if (request.list && !options.json)
      for (const auto& line : pruned.lines)
        print(line);
    if (!dry && !pruned.pruned_ids.empty())
      OM_TRY_VOID(jobs::forget_pruned_archives(catalog, context, options.repo, pruned.pruned_ids,
                                               pruned.pruned_names));
    warnings.insert(warnings.end(), pruned.warnings.begin(), pruned.warnings.end());
    json.key("borg").begin_object().key("decisions").begin_array();
    for (const auto& line : pruned.lines)
      json.value(line);
    json.end_array()
        .field("pruned", static_cast<std::int64_t>(pruned.pruned_ids.size()))
        .end_object();
    if (!dry)
      (void)catalog.release_lock(lock_name);
  }

  if (request.kind == "legacy" || request.kind == "all") {
    auto* tz = date::current_zone();
    OM_TRY(plan, plan_legacy_prune(catalog, policy, tz));
    // Decisions are formatted only when asked for: a history of 100,000 backups is common.
    if (options.json) {
      json.key("legacy").begin_array();
      for (const auto& d : plan) {
        json.begin_object()
            .field("job_id", d.backup.job_id)
            .field("kind", d.backup.kind)
            .field("time", util::iso8601(d.backup.time, tz))
            .field("keep", d.decision.keep)
            .field("rule", d.decision.rule)
            .end_object();
      }
      json.end_array();
    } else if (request.list) {
      for (const auto& d : plan)
        print(describe_decision(d, dry, tz));
    }
    if (!dry) {
      OM_TRY(done, apply_legacy_prune(catalog, plan, options.backup_root, context));
      warnings.insert(warnings.end(), done.warnings.begin(), done.warnings.end());
    }
  }
  json.end_object();
  if (options.json)
    print(json.str());
  for (const auto& w : warnings)
    spdlog::warn("{}", w);
  return warnings.empty() ? ExitStatus::ok : ExitStatus::warning;
}

} // namespace om::prune
