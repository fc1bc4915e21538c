#include <om/config/target.hpp>

#include <algorithm>

#include <om/config/options.hpp>
#include <om/util/strings.hpp>

namespace om::config {
namespace {

std::string where(const Target& t) {
  return "target '" + t.name + "'" + (t.defined_at.empty() ? "" : " (" + t.defined_at + ")");
}

// One repository, however it is spelled: "file:///r" and "/r/" are "/r".
std::string canonical_repo(std::string repo) {
  if (repo.starts_with("file://"))
    repo.erase(0, 7);
  while (repo.size() > 1 && repo.ends_with('/'))
    repo.pop_back();
  return repo;
}

} // namespace

Target local_target(const Options& options, const std::string& repo) {
  Target local;
  local.name = k_local_target;
  local.repo = repo;
  local.passphrase_file = options.passphrase_file;
  local.copy_to = options.copy_to;
  return local;
}

Result<std::vector<Target>> resolve_targets(const Options& options) {
  std::vector<Target> all;
  if (!options.repo.empty())
    all.push_back(local_target(options, options.repo));
  all.insert(all.end(), options.targets.begin(), options.targets.end());
  for (auto& t : all) {
    t.keep_hourly = t.keep_hourly.value_or(options.keep_hourly);
    t.keep_daily = t.keep_daily.value_or(options.keep_daily);
    t.keep_weekly = t.keep_weekly.value_or(options.keep_weekly);
    t.keep_monthly = t.keep_monthly.value_or(options.keep_monthly);
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (canonical_repo(all[i].repo) == canonical_repo(all[j].repo))
        return fail(ExitStatus::config, where(all[i]) + " has the same repository as " +
                                            where(all[j]) + ": " + all[i].repo);
    }
  }
  if (options.only_targets.empty())
    return all;
  std::vector<Target> chosen;
  for (const auto& name : options.only_targets) {
    auto it = std::ranges::find(all, name, &Target::name);
    if (it == all.end()) {
      std::vector<std::string> names;
      names.reserve(all.size());
      for (const auto& t : all)
        names.push_back(t.name);
      return fail(ExitStatus::config,
                  "--target " + name + ": no such target (" +
                      (names.empty() ? std::string("none is defined")
                                     : "defined: " + util::join(names, ", ")) +
                      "; further targets are [target.NAME] sections of " +
                      (options.config_file.empty() ? "the config file" : options.config_file) +
                      ")");
    }
    if (std::ranges::find(chosen, name, &Target::name) == chosen.end())
      chosen.push_back(*it);
  }
  return chosen;
}

} // namespace om::config
