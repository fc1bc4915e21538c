#include <om/proc/spawn.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
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

// The keeper of Command::outlives_us: a shell in the child's process group holding the read
// ends of its output pipes (stdin, fd 4) and of a pipe only we write to (fd 3). It blocks on
// that pipe; when it ends (we died: the kernel closed our end) it reads the child's output to
// its end and drops it. A keeper that cannot start costs only that protection.
void start_keeper(Child& child, std::vector<char*>& envp) {
  auto life = make_pipe();
  if (!life)
    return;
  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, child.err.get(), STDIN_FILENO);
  posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, life->read_end.get(), 3);
  const bool out = static_cast<bool>(child.out);
  if (out)
    posix_spawn_file_actions_adddup2(&setup.actions, child.out.get(), 4);
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, out ? 5 : 4);
  posix_spawnattr_setpgroup(&setup.attr, child.pid);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&setup.attr, &mask);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  std::string script = out ? "read _ <&3; cat <&4 >/dev/null & exec cat >/dev/null"
                           : "read _ <&3; exec cat >/dev/null";
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  char* argv[] = {sh.data(), dash_c.data(), script.data(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr, argv, envp.data()) != 0)
    return;
  child.keeper = pid;
  child.keeper_life = std::move(life->write_end);
}

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
  if (command.outlives_us)
    start_keeper(child, envp);
  return child;
}

void let_keeper_go(Child& child) {
  if (child.keeper <= 0)
    return;
  child.keeper_life.reset();
  ::kill(child.keeper, SIGKILL);
  int status = 0;
  ::waitpid(child.keeper, &status, 0);
  child.keeper = -1;
}

} // namespace om::proc::detail
