#include "support/held_run.hpp"

#include "support/catch.hpp"

#include <filesystem>
#include <stdexcept>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::test {

std::string slow_dump(const SampleApp& app) {
  return app.write_script("slow-dump.sh", "echo $$ > " + app.dir / "dump.pid" +
                                              "\n"
                                              "while [ ! -e " +
                                              app.dir / "go" +
                                              " ]; do sleep 0.1; done\n"
                                              "exec mysqldump \"$@\"");
}

std::thread start_held_run(const SampleApp& app, ToolResult& result,
                           std::vector<std::string> extra) {
  auto dump = slow_dump(app);
  extra.insert(extra.end(), {"--mysqldump", dump});
  std::thread runner([&app, &result, extra] { result = app.run(extra); });
  // Held once the stand-in has written its whole pid (the file exists a moment before that).
  if (!eventually(
          [&] { return util::read_file(app.dir / "dump.pid").value_or("").ends_with("\n"); })) {
    write_text(app.dir / "go", "");
    runner.join();
    FAIL("om-backup-run never reached its dump: " + result.err);
  }
  return runner;
}

BorgLockHolder::BorgLockHolder(const SampleApp& app) : m_repo(app.repo) {
  std::string vars;
  for (const auto& [k, v] : app.env())
    vars += k + "=" + util::shell_quote(v) + " ";
  m_pid = util::trim(shell(vars + "setsid borg with-lock " + util::shell_quote(m_repo) +
                           " sleep 600 >/dev/null 2>&1 </dev/null & echo $!"));
  if (!eventually([&] { return std::filesystem::exists(m_repo + "/lock.exclusive"); }))
    throw std::runtime_error("borg with-lock did not take the lock of " + m_repo);
}

void BorgLockHolder::release() {
  if (m_pid.empty())
    return;
  (void)shell("kill -TERM -- -" + m_pid + " 2>/dev/null || kill " + m_pid + " 2>/dev/null; true");
  m_pid.clear();
  (void)eventually([&] { return !std::filesystem::exists(m_repo + "/lock.exclusive"); });
}

bool borg_create_running(const std::string& repo) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    // A process that ends while it is read fails the read (ESRCH): it runs no borg any more.
    const auto read = util::read_file((e.path() / "cmdline").string());
    if (!read)
      continue;
    const auto& cmdline = *read;
    if (cmdline.find(std::string("\0create\0", 8)) != std::string::npos &&
        cmdline.find(repo + "::") != std::string::npos)
      return true;
  }
  return false;
}

} // namespace om::test
