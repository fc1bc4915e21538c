// om-backup-prune: retention for borg archives and legacy files, with borg's own rules.
#include <om/app/tool.hpp>
#include <om/prune/prune_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::prune::PruneRequest request;
  om::config::Cli cli("om-backup-prune", "Delete old backups by the retention policy.", options);
  om::prune::add_prune_options(cli, request);
  return om::app::run_tool(cli, argc, argv, [&] { return om::prune::run_prune(options, request); });
}
