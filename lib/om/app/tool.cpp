#include <om/app/tool.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <poll.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <om/borg/version.hpp>
#include <om/db/migrations.hpp>
#include <om/log/logging.hpp>
#include <om/ping/monitor.hpp>
#include <om/proc/interrupt.hpp>
#include <om/util/strings.hpp>

namespace om::app {
namespace {

// What a tool printed must have reached its reader: a full disk or a closed file behind a
// redirection is an error, not a silent short report. A reader that stopped reading (a pipe
// into `head`) is its own choice and no error.
bool reader_gone() {
  pollfd p{STDOUT_FILENO, POLLOUT, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

Result<ExitStatus> check_stdout(Result<ExitStatus> result) {
  errno = 0;
  if ((std::fflush(stdout) == 0 && std::ferror(stdout) == 0) || !result)
    return result;
  if (errno == EPIPE || reader_gone())
    return result;
  return fail(ExitStatus::failed, std::string("writing standard output: ") +
                                      (errno != 0 ? std::strerror(errno) : "write error"));
}

} // namespace

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
      result = ExitStatus::ok; // --help, --version: printed, and checked below like any output
    } else {
      // Verbosity is only known after parsing.
      log::init(cli.tool(), cli.options().verbose);
      if (cli.borg_checked_at_start()) {
        if (auto borg = borg::require_supported(cli.options().borg_command); !borg)
          result = std::unexpected(borg.error());
      }
      // A dry run is no job: nothing to tell. A refused borg is told: the job cannot run.
      if (!cli.options().dry_run)
        ping::install(ping::Monitor(cli.options().pings, cli.tool()));
      if (result && cli.pings_at_start())
        ping::work_begins();
      if (result)
        result = body();
    }
  } catch (const std::exception& e) {
    result = fail(ExitStatus::failed, std::string("internal error: ") + e.what());
  }
  result = check_stdout(std::move(result));
  // The end ping carries the end of the log: sent before the run log is closed.
  ping::current().end(result ? to_int(*result) : to_int(result.error().status),
                      result ? std::string() : result.error().message);
  log::close_run_log();
  if (!result) {
    // One line, and no byte a terminal would act on (names and borg's text come from outside).
    std::cerr << cli.tool() << ": error: " << util::escape_controls(result.error().message) << "\n";
    return to_int(result.error().status);
  }
  return to_int(*result);
}

} // namespace om::app
