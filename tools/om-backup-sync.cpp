// om-backup-sync: bring backups made outside om-backup-run (the old cron script, borg by hand,
// other hosts) into the job history, from the borg repository and the log folder.
#include <om/app/tool.hpp>
#include <om/sync/sync_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::sync::SyncRequest request;
  om::config::Cli cli("om-backup-sync",
                      "Reconcile the borg repository and backup logs into the job history.",
                      options);
  om::sync::add_sync_options(cli, request);
  return om::app::run_tool(cli, argc, argv, [&] { return om::sync::run_sync(options, request); });
}
