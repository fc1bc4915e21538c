#include <om/prune/prune_tool.hpp>

#include <cstdio>

#include <CLI/CLI.hpp>
#include <date/tz.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/borg/archive_name.hpp>
#include <om/borg/client.hpp>
#include <om/borg/target_client.hpp>
#include <om/config/catalog.hpp>
#include <om/jobs/history.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/prune/freeze.hpp>
#include <om/prune/legacy_prune.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/time.hpp>

namespace om::prune {
namespace {

void print(const std::string& line) {
  std::printf("%s\n", line.c_str());
}

// One prune run: what both halves share.
struct PruneRun {
  db::Catalog& catalog;
  const config::Options& options;
  const PruneRequest& request;
  RetentionPolicy policy;
  jobs::PruneRecord context;
  util::JsonWriter json;
  std::vector<std::string> warnings;
};

// The borg archives of this host in one target, under the repository's catalog lock, by the
// target's keep_* rules.
Result<void> prune_repository(PruneRun& r, const config::Target& target) {
  const auto& options = r.options;
  const bool dry = options.dry_run;
  const auto& repo = target.repo;
  const bool local = target.name == config::k_local_target;
  const auto policy = retention_of(target, options);
  if (policy.keeps_nothing())
    return fail(ExitStatus::config, "refusing to delete every backup of target " + target.name +
                                        ": its keep_hourly, keep_daily, keep_weekly and "
                                        "keep_monthly are all 0");
  const std::string lock_name = lock::repository_lock(repo);
  if (!dry) {
    OM_TRY(got, r.catalog.get_lock(lock_name, 0));
    if (!got)
      return fail(ExitStatus::temp_fail, "a backup of " + repo + " is running");
  }
  OM_TRY(client, borg::client_for(target, options.borg_command, std::chrono::hours(6)));
  OM_TRY_VOID(borg::require_passphrase(client.passphrase()));
  OM_TRY(prefix,
         borg::archive_prefix(r.request.archive_format, r.context.host, util::login_name()));
  auto context = r.context;
  context.policy = describe_policy(policy);
  OM_TRY(pruned, prune_borg(client, repo, prefix, policy, dry));
  if (r.request.list && !options.json)
    for (const auto& line : pruned.lines)
      print(line);
  if (!dry && !pruned.pruned_ids.empty())
    OM_TRY_VOID(jobs::forget_pruned_archives(r.catalog, context, repo, pruned.pruned_ids,
                                             pruned.pruned_names));
  for (const auto& w : pruned.warnings)
    r.warnings.push_back(local ? w : "target " + target.name + ": " + w);
  // The local target's decisions are "borg" (as before targets); another's "borg.NAME".
  r.json.key(local ? std::string("borg") : "borg." + target.name)
      .begin_object()
      .key("decisions")
      .begin_array();
  for (const auto& line : pruned.lines)
    r.json.value(line);
  r.json.end_array()
      .field("pruned", static_cast<std::int64_t>(pruned.pruned_ids.size()))
      .end_object();
  if (!dry)
    (void)r.catalog.release_lock(lock_name);
  return {};
}

// The legacy folders under the backup root, from the catalog's artifacts.
Result<void> prune_legacy_folders(PruneRun& r) {
  const auto* tz = date::current_zone();
  OM_TRY(plan, plan_legacy_prune(r.catalog, r.policy, tz));
  // Decisions are formatted only when asked for: a history of 100,000 backups is common.
  if (r.options.json) {
    r.json.key("legacy").begin_array();
    for (const auto& d : plan) {
      r.json.begin_object()
          .field("job_id", d.backup.job_id)
          .field("kind", d.backup.kind)
          .field("time", util::iso8601(d.backup.time, tz))
          .field("keep", d.decision.keep)
          .field("rule", d.decision.rule)
          .end_object();
    }
    r.json.end_array();
  } else if (r.request.list) {
    for (const auto& d : plan)
      print(describe_decision(d, r.options.dry_run, tz));
  }
  if (!r.options.dry_run) {
    OM_TRY(done, apply_legacy_prune(r.catalog, plan, r.options.backup_root, r.context));
    r.warnings.insert(r.warnings.end(), done.warnings.begin(), done.warnings.end());
  }
  return {};
}

} // namespace

void add_prune_options(config::Cli& cli, PruneRequest& request) {
  cli.add_borg_tool_options();
  cli.ping_at_start();
  cli.add_retention_options();
  auto& app = cli.app();
  app.add_option("--kind", request.kind, "Which store: borg, legacy or all")
      ->check(CLI::IsMember({"borg", "legacy", "all"}));
  app.add_flag("--list", request.list, "Print keep/prune for every backup, with the rule");
  app.add_flag("-n,--dry-run", cli.options().dry_run, "Decide, print, delete nothing");
  cli.add_option("--archive-format", request.archive_format,
                 "Archive name format of om-backup-run (its fixed start limits pruning)");
}

Result<ExitStatus> run_prune(config::Options& options, const PruneRequest& request) {
  OM_TRY(catalog, config::open_catalog_with_settings(options));
  RetentionPolicy policy{options.keep_hourly, options.keep_daily, options.keep_weekly,
                         options.keep_monthly};
  if (policy.keeps_nothing())
    return fail(ExitStatus::config, "refusing to delete every backup: keep_hourly, keep_daily, "
                                    "keep_weekly and keep_monthly are all 0");
  // An anomaly not yet acknowledged: nothing is pruned, anywhere, and the tool says why.
  OM_TRY(frozen, prune_frozen(catalog));
  if (frozen) {
    spdlog::warn("{}", *frozen);
    if (options.json)
      print(util::JsonWriter().begin_object().field("frozen", *frozen).end_object().str());
    return ExitStatus::warning;
  }
  const auto host = util::host_name();
  PruneRun r{
      catalog,
      options,
      request,
      policy,
      jobs::PruneRecord{host, util::login_name(), "om-backup-prune", describe_policy(policy)},
      {},
      {}};

  // Never beside a backup: the same locks om-backup-run takes.
  std::optional<lock::HostLock> held;
  if (!options.dry_run) {
    OM_TRY(taken,
           lock::HostLock::acquire(options.state_dir, {"", host, static_cast<long>(::getpid()),
                                                       util::now_unix(), "om-backup-prune"}));
    held.emplace(std::move(taken));
  }
  r.json.begin_object().field("dry_run", options.dry_run).field("policy", r.context.policy);
  if (request.kind == "borg" || request.kind == "all") {
    OM_TRY(targets, config::resolve_targets(options));
    for (const auto& target : targets) {
      if (target.prune)
        OM_TRY_VOID(prune_repository(r, target));
      else
        spdlog::info("target {}: prune = no, its retention is left to the repository's owner",
                     target.name);
    }
  }
  if (request.kind == "legacy" || request.kind == "all")
    OM_TRY_VOID(prune_legacy_folders(r));
  r.json.end_object();
  if (options.json)
    print(r.json.str());
  for (const auto& w : r.warnings)
    spdlog::warn("{}", w);
  return r.warnings.empty() ? ExitStatus::ok : ExitStatus::warning;
}

} // namespace om::prune
