// om-backup-check: read every target's backups back, on a rotation within a time budget, and
// record what was verified where the UI can see it.
#include <om/app/tool.hpp>
#include <om/check/check_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::check::CheckRequest request;
  om::config::Cli cli("om-backup-check",
                      "Verify every target's repository, archives and data within a budget.",
                      options);
  om::check::add_check_options(cli, request);
  return om::app::run_tool(cli, argc, argv, [&] { return om::check::run_check(options, request); });
}
