// om-backup-restore: get the application files and the database back.
#include <unistd.h>

#include <om/app/tool.hpp>
#include <om/restore/restore_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::restore::RestoreRequest request;
  om::config::Cli cli("om-backup-restore", "Restore files or a database from a backup.", options);
  om::restore::add_restore_options(cli, request);
  return om::app::run_tool(cli, argc, argv, [&] {
    request.progress = ::isatty(STDERR_FILENO) != 0 && !options.json;
    return om::restore::run_restore(options, request);
  });
}
