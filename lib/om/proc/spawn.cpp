#include <om/proc/spawn.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <om/proc/pipe.hpp>

namespace om::proc::detail {
namespace {

constexpr int k_inherited_fd = 3;

// environ with the command's changes applied; the strings live in `storage`.
std::vector<char*> build_env(const Command& command, std::vector<std::string>& storage) {
  auto replaced = [&](std::string_view entry) {
    auto name = entry.substr(0, entry.find('='));
    return command.env_set.contains(std::string(name)) ||
           std::ranges::find(command.env_unset, name) != command.env_unset.end();
  };
  for (char** e = environ; *e != nullptr; ++e) {
    if (!replaced(*e))
      storage.emplace_back(*e);
  }
  for (const auto& [name, value] : command.env_set)
    storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  envp.reserve(storage.size() + 1);
  for (auto& s : storage)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  return envp;
}

struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

} // namespace

Result<Child> spawn(const Command& command) {
  if (command.argv.empty())
    return fail("running a child: empty command");
  spdlog::debug("running: {}", command.display());

  Child child;
  util::Fd out_w;
  if (command.stdout_fd < 0) {
    OM_TRY(out_pipe, make_pipe());
    child.out = std::move(out_pipe.read_end);
    out_w = std::move(out_pipe.write_end);
  }
  OM_TRY(err_pipe, make_pipe());
  child.err = std::move(err_pipe.read_end);
  util::Fd in_r;
  if (command.stdin_feed != nullptr) {
    OM_TRY(in_pipe, make_pipe());
    in_r = std::move(in_pipe.read_end);
    child.in = std::move(in_pipe.write_end);
    ::fcntl(child.in.get(), F_SETFL, O_NONBLOCK);
  }

  SpawnSetup setup;
  if (in_r)
    posix_spawn_file_actions_adddup2(&setup.actions, in_r.get(), STDIN_FILENO);
  else if (command.stdin_fd >= 0)
    posix_spawn_file_actions_adddup2(&setup.actions, command.stdin_fd, STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(
      &setup.actions, command.stdout_fd >= 0 ? command.stdout_fd : out_w.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err_pipe.write_end.get(), STDERR_FILENO);
  // Only what is meant for the child crosses exec: whatever else is open here (the catalog's
  // socket, a log, a lock) is closed in it, close-on-exec or not.
  if (command.inherit_fd >= 0)
    posix_spawn_file_actions_adddup2(&setup.actions, command.inherit_fd, k_inherited_fd);
  posix_spawn_file_actions_addclosefrom_np(
      &setup.actions, command.inherit_fd >= 0 ? k_inherited_fd + 1 : k_inherited_fd);
  if (!command.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&setup.actions, command.cwd.c_str());

  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&setup.attr, &mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env_storage;
  auto envp = build_env(command, env_storage);
  std::vector<char*> argv;
  argv.reserve(command.argv.size());
  for (const auto& a : command.argv)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int rc = posix_spawnp(&child.pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
  if (rc != 0) {
    auto status = rc == ENOENT || rc == EACCES ? ExitStatus::unavailable : ExitStatus::failed;
    return fail(status, "running " + command.argv[0] + ": " + std::strerror(rc));
  }
  return child;
}

} // namespace om::proc::detail
