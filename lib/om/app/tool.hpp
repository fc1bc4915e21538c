#pragma once

#include <functional>
#include <string>

#include <om/config/cli.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::app {

// The shared start of every tool: logging, interrupt handling, the command line parsed with
// its layers. Turns the body's Result into "tool: error: message" on stderr and an exit code;
// nothing else prints errors. Exceptions from third-party code are caught here.
int run_tool(config::Cli& cli, int argc, char** argv,
             const std::function<Result<ExitStatus>()>& body);

} // namespace om::app
