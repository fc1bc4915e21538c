#include <om/check/check_tool.hpp>

#include <cstdio>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <om/check/target_check.hpp>
#include <om/config/catalog.hpp>
#include <om/lock/catalog_locks.hpp>
#include <om/lock/host_lock.hpp>
#include <om/ping/monitor.hpp>
#include <om/proc/interrupt.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/sync/vanished.hpp>
#include <om/util/cron.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::check {
namespace {

constexpr const char* k_tool = "om-backup-check";

// A duration setting (check-budget, check-data-every) of the tool or of a target.
Result<std::int64_t> duration_setting(const std::string& key, const std::string& value,
                                      const config::Target* target) {
  if (value == "0")
    return 0;
  auto d = util::parse_duration(value);
  if (d)
    return *d;
  return fail(ExitStatus::config,
              (target != nullptr ? "target " + target->name + ": " : std::string()) + key + " = " +
                  value + ": not a duration (like 45m, 2h, 30d; 0 for no limit)");
}

Result<CheckLimits> limits_for(const CheckRequest& request, const config::Target& target) {
  const auto* own = &target;
  auto pick = [&](const std::string& targets, const std::string& tools) {
    return targets.empty() ? tools : targets;
  };
  const auto budget = pick(target.check_budget, request.budget);
  const auto every = pick(target.check_data_every, request.data_every);
  const auto bytes_text = pick(target.check_bytes_per_run, request.bytes_per_run);
  OM_TRY(budget_s,
         duration_setting("check-budget", budget, target.check_budget.empty() ? nullptr : own));
  OM_TRY(every_s, duration_setting("check-data-every", every,
                                   target.check_data_every.empty() ? nullptr : own));
  auto bytes = util::parse_bytes(bytes_text);
  if (!bytes || *bytes <= 0)
    return fail(
        ExitStatus::config,
        (target.check_bytes_per_run.empty() ? std::string() : "target " + target.name + ": ") +
            "check-bytes-per-run = " + bytes_text + ": not a size (like 500M, 4G)");
  return CheckLimits{
      .budget_s = budget_s, .data_every_s = every_s, .bytes_per_run = *bytes, .last = request.last};
}

Result<std::vector<Level>> levels_of(const CheckRequest& request) {
  if (request.levels.empty())
    return std::vector<Level>{Level::archives, Level::data, Level::repository};
  std::vector<Level> out;
  for (const auto& name : request.levels) {
    auto level = parse_level(name);
    if (!level || *level == Level::copy)
      return fail(ExitStatus::usage,
                  "--level " + name + ": not a level (repository, archives or data)");
    out.push_back(*level);
  }
  return out;
}

void print_json(const std::string& run_id, const std::vector<CheckRow>& rows,
                const std::vector<std::string>& skipped,
                const std::vector<jobs::IntegrityEvent>& open) {
  util::JsonWriter json;
  json.begin_object().field("run_id", run_id).key("checks").begin_array();
  for (const auto& r : rows) {
    json.begin_object()
        .field("target", r.target)
        .field("repository", r.repository)
        .field("level", std::string(name_of(r.level)))
        .field("status", std::string(name_of(r.outcome)))
        .field("covered", r.covered);
    if (r.bytes_read)
      json.field("bytes_read", *r.bytes_read);
    if (r.cycle_share)
      json.field("cycle_share", *r.cycle_share);
    json.field("cycle_complete", r.cycle_complete).field("duration_ms", r.duration_ms);
    if (r.error)
      json.field("error", *r.error);
    json.end_object();
  }
  json.end_array().key("skipped").begin_array();
  for (const auto& s : skipped)
    json.value(s);
  json.end_array().key("open_events").begin_array();
  for (const auto& e : open)
    json.begin_object()
        .field("id", e.id)
        .field("kind", std::string(jobs::name_of(e.kind)))
        .field("target", e.target)
        .field("archive", e.archive_name)
        .end_object();
  json.end_array().end_object();
  std::printf("%s\n", json.str().c_str());
}

void print_text(const std::vector<CheckRow>& rows) {
  for (const auto& r : rows) {
    std::printf("%-12s %-10s %-9s %s%s\n", r.target.c_str(), std::string(name_of(r.level)).c_str(),
                std::string(name_of(r.outcome)).c_str(), r.covered.c_str(),
                r.error ? (" — " + *r.error).c_str() : "");
  }
}

// --ack EVENT --why TEXT: an admin says why an integrity event happened; it stops failing the
// tools (and freezing prune) from then on.
Result<ExitStatus> acknowledge(config::Options& options, const CheckRequest& request) {
  if (util::trim(request.why).empty())
    return fail(ExitStatus::usage, "--ack needs --why: say why it happened (kept with the event)");
  OM_TRY(catalog, config::open_catalog(options));
  const auto by = request.requested_by.empty() ? util::login_name() : request.requested_by;
  OM_TRY(event, jobs::acknowledge_event(catalog, request.ack, by, request.why));
  spdlog::info("{} acknowledged by {}", jobs::describe(event), by);
  if (options.json)
    std::printf("%s\n", util::JsonWriter()
                            .begin_object()
                            .field("acknowledged", event.id)
                            .field("by", by)
                            .end_object()
                            .str()
                            .c_str());
  return ExitStatus::ok;
}

// What one run found on all its targets.
struct RunFindings {
  std::vector<CheckRow> rows;
  std::vector<std::string> skipped; // their backup or prune was running
  std::optional<Error> first;       // the first problem; the others are logged as errors
};

// What is the same for every target of one run.
struct RunSettings {
  std::vector<Level> levels;
  bool data_forced = false;
  std::string run_id;
  std::string host;
  std::string borg_command;
};

using Planned = std::vector<std::pair<const config::Target*, CheckLimits>>;

// Each target in turn, under its repository's catalog lock (never beside a backup or prune of
// it, on any host: the backup goes first, and the target is left for the next run).
Result<RunFindings> check_each(db::Catalog& catalog, const Planned& planned, const RunSettings& run,
                               const config::Options& options) {
  RunFindings found;
  auto failed = [&](const Error& e) {
    if (found.first)
      spdlog::error("{}", e.message);
    else
      found.first = e;
  };
  for (const auto& [target, limits] : planned) {
    if (proc::interrupted() != 0)
      break;
    const auto lock_name = lock::repository_lock(target->repo);
    OM_TRY(got, catalog.get_lock(lock_name, 0));
    if (!got) {
      found.skipped.push_back(target->name);
      spdlog::warn("target {}: a backup or prune of {} is running; not checked this time",
                   target->name, target->repo);
      continue;
    }
    auto done = check_target({.target = *target,
                              .limits = limits,
                              .levels = run.levels,
                              .data_forced = run.data_forced,
                              .catalog = catalog,
                              .run_id = run.run_id,
                              .host = run.host,
                              .borg_command = run.borg_command,
                              .retention = prune::retention_of(*target, options)});
    (void)catalog.release_lock(lock_name);
    if (!done) {
      failed(done.error().context("target " + target->name));
      continue;
    }
    for (const auto& e : done->vanished)
      spdlog::warn("{}", jobs::describe(e));
    for (auto& row : done->rows) {
      if (row.outcome != Outcome::success)
        failed(Error{ExitStatus::failed,
                     row.error.value_or("target " + row.target + ": " +
                                        std::string(name_of(row.level)) + " check " +
                                        std::string(name_of(row.outcome)))});
      found.rows.push_back(std::move(row));
    }
  }
  return found;
}

} // namespace

void add_check_options(config::Cli& cli, CheckRequest& request) {
  cli.add_borg_tool_options();
  cli.add_retention_options(); // an archive gone that they would keep vanished
  auto& app = cli.app();
  app.add_option("--level", request.levels,
                 "Only this level: repository, archives or data (repeatable; default all)")
      ->check(CLI::IsMember({"repository", "archives", "data"}));
  app.add_flag("--if-due", request.if_due, "Check only if check-schedule is due");
  cli.add_option("--check-schedule", request.schedule,
                 "When checks are due, for --if-due (cron expression; 30 4 * * *)");
  cli.add_option("--check-budget", request.budget,
                 "Wall time per target per run (1h; 0: no limit)");
  cli.add_option("--check-data-every", request.data_every,
                 "How often the local repository's data is read whole (30d)");
  cli.add_option("--check-bytes-per-run", request.bytes_per_run,
                 "Bytes an offsite target's data rotation reads per run (4G)");
  app.add_option("--last", request.last, "Archives level: only the newest N archives")
      ->check(CLI::PositiveNumber);
  app.add_option("--ack", request.ack,
                 "Acknowledge integrity event EVENT (a vanished archive, an anomaly) and stop")
      ->check(CLI::PositiveNumber);
  cli.add_option("--why", request.why, "With --ack: why it happened (kept with the event)");
  cli.add_option("--requested-by", request.requested_by,
                 "With --ack: who acknowledges (default: the login name)");
}

Result<ExitStatus> run_check(config::Options& options, const CheckRequest& request) {
  if (request.ack > 0)
    return acknowledge(options, request);
  OM_TRY(levels, levels_of(request));
  OM_TRY(schedule, util::CronSchedule::parse(request.schedule));
  OM_TRY(catalog, config::open_catalog_with_settings(options));
  OM_TRY(targets, config::resolve_targets(options));
  Planned planned;
  for (const auto& target : targets) {
    OM_TRY(limits, limits_for(request, target));
    planned.emplace_back(&target, limits);
  }
  if (targets.empty())
    return fail(ExitStatus::config, "nothing to check: no repository (--repo, BORG_REPO or "
                                    "backup_settings.borg_repo_path) and no [target.NAME]");
  const auto now = util::now_unix();
  const auto mark = options.state_dir + "/last-scheduled-check";
  if (request.if_due) {
    OM_TRY(due, util::due_since_mark(schedule, mark, now));
    if (!due)
      return ExitStatus::ok;
  }
  ping::work_begins();
  const auto host = util::host_name();
  OM_TRY(held, lock::HostLock::acquire(options.state_dir,
                                       {"", host, static_cast<long>(::getpid()), now, k_tool},
                                       lock::k_check_lock));
  if (request.if_due)
    OM_TRY_VOID(util::set_mark(mark, now));
  const auto run_id = util::uuid_v4();
  held.set_job(run_id);
  spdlog::info("check {}: {} target(s)", run_id, planned.size());

  OM_TRY(found, check_each(catalog, planned,
                           {.levels = levels,
                            .data_forced = !request.levels.empty(),
                            .run_id = run_id,
                            .host = host,
                            .borg_command = options.borg_command},
                           options));
  const auto& [rows, skipped, first] = found;
  OM_TRY(open, jobs::open_events(catalog));
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  spdlog::info("om-backup-check itself: peak RSS {} KiB", self.ru_maxrss);
  if (options.json)
    print_json(run_id, rows, skipped, open);
  else if (options.verbose > 0 || ::isatty(STDOUT_FILENO) != 0)
    print_text(rows);
  if (proc::interrupted() != 0)
    return fail(ExitStatus::interrupted, "interrupted: the checks under way were recorded as "
                                         "cancelled");
  if (first)
    return std::unexpected(*first);
  OM_TRY_VOID(sync::fail_on_open_vanished(catalog));
  return skipped.empty() ? ExitStatus::ok : ExitStatus::temp_fail;
}

} // namespace om::check
