// om-backup-copy: copy the repositories to cloud storage with rclone, consistent and recorded.
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/copy/copy_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::copy::CopyRequest request;
  om::copy::CopyCommandLine line;
  om::config::Cli cli("om-backup-copy",
                      "Copy the borg repositories to their rclone destinations (copy-to) and "
                      "record it in the job history.",
                      options);
  om::copy::add_copy_options(cli, request, line);
  return om::app::run_tool(cli, argc, argv, [&]() -> om::Result<om::ExitStatus> {
    if (!line.job_id.empty())
      request.adopt_job = line.job_id;
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::copy::run_copy(options, request);
  });
}
