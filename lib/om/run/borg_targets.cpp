#include <om/run/borg_targets.hpp>

#include <om/borg/target_client.hpp>

namespace om::run {

std::vector<BorgBackup> BorgTargets::backups(const config::Options& options,
                                             const RunRequest& request,
                                             attempt::JobRecorder& recorder,
                                             jobs::JobStore* store) const {
  std::vector<BorgBackup> out;
  out.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i)
    out.push_back(BorgBackup{options, request, targets[i], plans[i], clients[i], recorder, store});
  return out;
}

Result<BorgTargets> borg_targets(const config::Options& options, const RunRequest& request,
                                 std::int64_t now_us, const std::string& host,
                                 const std::string& user) {
  BorgTargets out;
  OM_TRY(targets, config::resolve_targets(options));
  if (targets.empty()) {
    out.plan_error = Error{ExitStatus::config, "no borg repository: set --repo, BORG_REPO or "
                                               "backup_settings.borg_repo_path"};
    return out;
  }
  for (const auto& t : targets) {
    OM_TRY(client,
           borg::client_for(t, options.borg_command, std::chrono::seconds(request.borg_timeout_s)));
    out.clients.push_back(std::move(client));
    auto plan = plan_borg_backup(options, t, request, now_us, host, user);
    if (!plan) {
      out.plan_error = plan.error();
      out.clients.clear();
      return out;
    }
    out.plans.push_back(std::move(*plan));
  }
  out.targets = std::move(targets);
  return out;
}

} // namespace om::run
