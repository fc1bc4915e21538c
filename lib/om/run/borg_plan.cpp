#include <om/run/borg_plan.hpp>

#include <om/borg/archive_name.hpp>
#include <om/borg/commands.hpp>
#include <om/db/client_credentials.hpp>
#include <om/prune/borg_prune.hpp>

namespace om::run {

Result<std::string> compression_spec(int level) {
  if (level == 0)
    return std::string("lz4");
  if (level < 0 || level > 22)
    return fail(ExitStatus::config, "compression_level " + std::to_string(level) +
                                        " is outside 0-22 (0 means lz4, 1-22 zstd levels)");
  return "zstd," + std::to_string(level);
}

Result<BorgPlan> plan_borg_backup(const config::Options& options, const config::Target& target,
                                  const RunRequest& request, std::int64_t now_us,
                                  const std::string& hostname, const std::string& user) {
  BorgPlan plan;
  plan.repo = target.repo;
  if (plan.repo.empty())
    return fail(ExitStatus::config, "no borg repository: set --repo, BORG_REPO or "
                                    "backup_settings.borg_repo_path");
  OM_TRY(archive, borg::expand_archive_name(request.archive_format, now_us, hostname, user));
  OM_TRY(prefix, borg::archive_prefix(request.archive_format, hostname, user));
  OM_TRY(compression, compression_spec(options.compression_level));
  plan.archive = archive;
  plan.prefix = prefix;

  const auto uploads = options.effective_uploads_dir();
  if (options.include_files)
    plan.sources.push_back(options.prod_root);
  // Uploads inside the application tree come with it; elsewhere they are a source of their own.
  if (options.include_uploads &&
      !(options.include_files && uploads.starts_with(options.prod_root + "/")))
    plan.sources.push_back(uploads);
  if (options.include_database) {
    plan.database = options.effective_app_db();
    if (plan.database.empty())
      return fail(ExitStatus::config, "include_database is on but no database is named: set "
                                      "--app-db or --db-name");
    plan.dump_name = "database/" + plan.database + ".sql";
    plan.dump_args = db::mysqldump_options();
    plan.dump_args.push_back(plan.database);
  }
  if (plan.sources.empty() && plan.database.empty())
    return fail(ExitStatus::config, "nothing to back up: include_files, include_uploads and "
                                    "include_database are all off");

  std::vector<std::string> create_options = {"--json",    "--compression",
                                             compression, "--exclude-caches",
                                             "--exclude", "sh:**/node_modules"};
  if (options.include_files && !options.include_uploads)
    create_options.insert(create_options.end(), {"--exclude", "pp:" + uploads});
  // --progress goes to us as JSON lines (--log-json): the terminal's progress line. (For the
  // job's progress row run_borg_backup adds it; --list is run/change_recording's.)
  if (request.progress)
    create_options.emplace_back("--progress");
  if (target.checkpoint_interval_s)
    create_options.insert(create_options.end(),
                          {"--checkpoint-interval", std::to_string(*target.checkpoint_interval_s)});
  std::vector<std::string> inputs;
  if (!plan.database.empty()) {
    create_options.insert(create_options.end(), {"--stdin-name", plan.dump_name});
    // The dump comes first, so its transaction is open only as long as the dump itself.
    inputs.emplace_back("-");
  }
  inputs.insert(inputs.end(), plan.sources.begin(), plan.sources.end());
  plan.create_args = borg::cmd::create(create_options, plan.archive_location(), inputs);

  plan.policy = prune::retention_of(target, options);
  plan.prune_args = prune::borg_prune_args(plan.repo, plan.prefix, plan.policy, false);
  plan.compact_args = borg::cmd::compact(plan.repo);
  plan.check_args = borg::cmd::check_archives(plan.repo, plan.archive);
  return plan;
}

} // namespace om::run
