#include <om/prune/borg_prune.hpp>

#include <spdlog/spdlog.h>

#include <om/borg/archive_name.hpp>
#include <om/borg/commands.hpp>
#include <om/util/strings.hpp>

namespace om::prune {

std::string describe_policy(const RetentionPolicy& p) {
  return "keep_hourly=" + std::to_string(p.hourly) + " keep_daily=" + std::to_string(p.daily) +
         " keep_weekly=" + std::to_string(p.weekly) + " keep_monthly=" + std::to_string(p.monthly);
}

std::vector<std::string> borg_prune_args(const std::string& repo, const std::string& prefix,
                                         const RetentionPolicy& policy, bool dry_run) {
  std::vector<std::string> keep;
  auto add = [&](const char* flag, int n) {
    if (n > 0)
      keep.insert(keep.end(), {flag, std::to_string(n)});
  };
  add("--keep-hourly", policy.hourly);
  add("--keep-daily", policy.daily);
  add("--keep-weekly", policy.weekly);
  add("--keep-monthly", policy.monthly);
  if (keep.empty())
    return {};
  return borg::cmd::prune(repo, prefix, keep, dry_run);
}

Result<BorgPruneResult> prune_borg(const borg::Client& client, const std::string& repo,
                                   const std::string& prefix, const RetentionPolicy& policy,
                                   bool dry_run,
                                   const std::function<void(std::string_view)>& on_phase) {
  BorgPruneResult result;
  if (on_phase)
    on_phase("prune");
  auto args = borg_prune_args(repo, prefix, policy, dry_run);
  if (args.empty())
    return fail(ExitStatus::config, "refusing to delete every backup: every keep_* rule is 0");
  OM_TRY(prune, client.run(args, [&](const borg::LogLine& line) {
    if (line.type != borg::LogLine::Type::log_message && line.type != borg::LogLine::Type::text)
      return;
    spdlog::info("borg: {}", line.message);
    if (line.name != "borg.output.list")
      return;
    result.lines.push_back(line.message);
    if (auto id = borg::pruned_archive_id(line.message); !id.empty()) {
      result.pruned_ids.push_back(id);
      // "Pruning archive (1/2):   <name>   <date> [id]": the name is the first word after ':'.
      auto colon = line.message.find(':');
      auto rest = util::trim(std::string_view(line.message).substr(colon + 1));
      result.pruned_names.emplace_back(rest.substr(0, rest.find(' ')));
    }
  }));
  if (!prune.ok() && !prune.warned())
    return std::unexpected(prune.error());
  if (!dry_run) {
    if (on_phase)
      on_phase("compact");
    auto compact = client.run(borg::cmd::compact(repo));
    if (!compact || !compact->ok())
      result.warnings.push_back("compact failed: " +
                                (compact ? compact->error().message : compact.error().message));
  }
  return result;
}

RetentionPolicy retention_of(const config::Target& target, const config::Options& options) {
  return {.hourly = target.keep_hourly.value_or(options.keep_hourly),
          .daily = target.keep_daily.value_or(options.keep_daily),
          .weekly = target.keep_weekly.value_or(options.keep_weekly),
          .monthly = target.keep_monthly.value_or(options.keep_monthly)};
}

} // namespace om::prune
