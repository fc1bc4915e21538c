#include <om/borg/target_client.hpp>

#include <cstdlib>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include <om/borg/commands.hpp>
#include <om/borg/parse.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::borg {

namespace {

// The admin's own BORG_RSH, which the local target keeps (as before targets existed).
const char* inherited_rsh(const config::Target& target) {
  const char* inherited = std::getenv("BORG_RSH");
  const bool local = target.name == config::k_local_target;
  return local && inherited != nullptr && *inherited != '\0' ? inherited : nullptr;
}

} // namespace

std::string ssh_command(const config::Target& target, const std::string& ssh_log) {
  if (!target.is_remote() && target.rsh.empty())
    return "";
  if (const char* inherited = inherited_rsh(target))
    return inherited;
  std::string rsh = target.rsh.empty() ? "ssh" : target.rsh;
  rsh += " -o BatchMode=yes -o ConnectTimeout=" + std::to_string(k_ssh_connect_timeout_s) +
         " -o ServerAliveInterval=10 -o ServerAliveCountMax=3";
  if (!target.ssh_key.empty())
    rsh += " -i " + util::shell_quote(target.ssh_key) + " -o IdentitiesOnly=yes";
  if (!ssh_log.empty())
    rsh += " -E " + util::shell_quote(ssh_log);
  if (!target.known_hosts.empty())
    rsh += " -o UserKnownHostsFile=" + util::shell_quote(target.known_hosts) +
           " -o StrictHostKeyChecking=yes";
  return rsh;
}

bool is_fetched_copy(const std::string& repo) {
  return !repo.starts_with("ssh://") &&
         util::path_exists(repo + "/" + k_fetched_state_dir + "/fetched");
}

Result<Client> client_for(const config::Target& target, const std::string& program,
                          std::chrono::seconds timeout) {
  const bool local = target.name == config::k_local_target;
  Reach reach;
  // The environment's passphrase and repository are the local target's, never another's.
  if (!local)
    reach.env_unset = {"BORG_PASSPHRASE", "BORG_PASSCOMMAND", "BORG_PASSPHRASE_FD", "BORG_REPO"};
  Passphrase passphrase;
  if (local || !target.passphrase_file.empty()) {
    auto resolved = resolve_passphrase(target.passphrase_file);
    if (!resolved)
      return std::unexpected(resolved.error().context("target " + target.name));
    passphrase = std::move(*resolved);
  }
  if (target.is_remote() && inherited_rsh(target) == nullptr) {
    OM_TRY(log, util::TempPath::create("om-backup-ssh"));
    reach.ssh_log = std::make_shared<const util::TempPath>(std::move(log));
  }
  if (auto rsh = ssh_command(target, reach.ssh_log ? reach.ssh_log->path() : ""); !rsh.empty())
    reach.env["BORG_RSH"] = rsh;
  if (!target.remote_path.empty())
    reach.env["BORG_REMOTE_PATH"] = target.remote_path;
  if (is_fetched_copy(target.repo)) {
    const auto state = target.repo + "/" + k_fetched_state_dir;
    reach.env["BORG_SECURITY_DIR"] = state + "/security";
    reach.env["BORG_CACHE_DIR"] = state + "/cache";
  }
  if (target.lock_wait_s)
    reach.common_args.insert(reach.common_args.end(),
                             {"--lock-wait", std::to_string(*target.lock_wait_s)});
  if (target.upload_ratelimit_kib && *target.upload_ratelimit_kib > 0)
    reach.common_args.insert(reach.common_args.end(),
                             {"--upload-ratelimit", std::to_string(*target.upload_ratelimit_kib)});
  return Client(program, std::move(passphrase), timeout, std::move(reach));
}

Result<Listing> list_with(const Client& client, const std::string& repo) {
  OM_TRY(run, client.run(cmd::list_archives(repo)));
  if (!run.ok())
    return std::unexpected(run.error());
  return parse_list(run.outcome.stdout_text);
}

Result<Listing> list_target(const config::Target& target, const std::string& program,
                            std::chrono::seconds timeout) {
  OM_TRY(client, client_for(target, program, timeout));
  OM_TRY_VOID(require_passphrase(client.passphrase()));
  return list_with(client, target.repo);
}

Result<std::vector<std::string>>
for_each_target(const std::vector<config::Target>& targets,
                const std::function<Result<void>(const config::Target&)>& work,
                std::string_view later) {
  std::vector<std::string> failed;
  std::optional<Error> first_error;
  for (const auto& target : targets) {
    auto done = work(target);
    if (done)
      continue;
    if (targets.size() == 1)
      return std::unexpected(done.error());
    auto e = done.error().context("target " + target.name);
    spdlog::warn("{}{}", e.message, later);
    failed.push_back(target.name);
    if (!first_error)
      first_error = std::move(e);
  }
  if (!targets.empty() && failed.size() == targets.size())
    return std::unexpected(*first_error);
  return failed;
}

} // namespace om::borg
