#include <om/app/tool.hpp>

#include <exception>
#include <iostream>

#include <spdlog/spdlog.h>

#include <om/db/migrations.hpp>
#include <om/log/logging.hpp>
#include <om/proc/interrupt.hpp>
#include <om/util/strings.hpp>

namespace om::app {

int run_tool(config::Cli& cli, int argc, char** argv,
             const std::function<Result<ExitStatus>()>& body) {
  log::init(cli.tool(), 0);
  proc::install_interrupt_handlers();
  Result<ExitStatus> result = ExitStatus::ok;
  try {
    auto parsed = cli.parse(argc, argv);
    if (!parsed) {
      result = std::unexpected(parsed.error());
    } else if (*parsed == config::ParseOutcome::exit_ok) {
      return 0;
    } else {
      // Verbosity is only known after parsing.
      log::init(cli.tool(), cli.options().verbose);
      result = body();
    }
  } catch (const std::exception& e) {
    result = fail(ExitStatus::failed, std::string("internal error: ") + e.what());
  }
  log::close_run_log();
  if (!result) {
    // One line, and no byte a terminal would act on (names and borg's text come from outside).
    std::cerr << cli.tool() << ": error: " << util::escape_controls(result.error().message) << "\n";
    return to_int(result.error().status);
  }
  return to_int(*result);
}

} // namespace om::app
