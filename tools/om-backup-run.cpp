// om-backup-run: make one backup (borg, or legacy files/db/both) and record it in the catalog.
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/run/run_options.hpp>
#include <om/run/run_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::run::RunRequest request;
  om::run::RunCommandLine line;
  om::config::Cli cli("om-backup-run", "Make one backup and record it in the job history.",
                      options);
  om::run::add_run_options(cli, request, line);
  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    if (!line.job_id.empty())
      request.adopt_job = line.job_id;
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::run::run_backup(options, request);
  });
}
