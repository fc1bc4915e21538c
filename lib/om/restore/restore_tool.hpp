#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <om/config/cli.hpp>
#include <om/util/error.hpp>

namespace om::restore {

// The subcommands, as the command line names them (name_of).
enum class Command { list, files, db, verify, fetch };
[[nodiscard]] std::string_view name_of(Command command);

struct RestoreRequest {
  Command command = Command::list;
  std::string from;               // job id, "<repo>::<archive>", or an archive name in --repo
  std::string to_dir;             // files
  std::vector<std::string> paths; // files: only these, relative to the application tree
  std::string database;           // db: load into this database
  std::string to_file;            // db: only extract the dump here
  bool force = false;
  bool progress = false; // show progress on the terminal (stderr is one)
  int limit = 50;
  std::string copy;         // fetch --from, verify --copy: a cloud copy's REMOTE:PATH
  std::string restore_id;   // files, db: the id of its row in backup_restores (default: random)
  std::string requested_by; // files, db: who asked (attempt::requester)
};

// Every option of om-backup-restore: the shared groups, the subcommands and their options
// (also read by `om-backup-report config`).
void add_restore_options(config::Cli& cli, RestoreRequest& request);

// om-backup-restore: list restorable backups; restore application files into a folder, or a
// database dump into a database (or a file), from a borg archive or a legacy artifact.
[[nodiscard]] Result<ExitStatus> run_restore(const config::Options& options,
                                             const RestoreRequest& request);

} // namespace om::restore
