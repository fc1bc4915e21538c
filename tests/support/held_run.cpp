#include "support/held_run.hpp"

#include "support/catch.hpp"

#include <filesystem>
#include <fstream>

#include <om/util/files.hpp>

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

bool borg_create_running(const std::string& repo) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(std::string("\0create\0", 8)) != std::string::npos &&
        cmdline.find(repo + "::") != std::string::npos)
      return true;
  }
  return false;
}

} // namespace om::test
