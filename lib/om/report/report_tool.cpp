#include <om/report/report_tool.hpp>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <om/config/catalog.hpp>
#include <om/config/settings.hpp>
#include <om/jobs/job.hpp>
#include <om/report/check.hpp>
#include <om/report/config_view.hpp>
#include <om/report/diff.hpp>
#include <om/report/follow.hpp>
#include <om/report/metrics.hpp>
#include <om/report/reports.hpp>
#include <om/report/repository.hpp>
#include <om/report/targets.hpp>
#include <om/report/verifications.hpp>
#include <om/report/when.hpp>
#include <om/util/files.hpp>
#include <om/util/time.hpp>

namespace om::report {
namespace {

template <class E, std::size_t N> std::vector<std::string> names(const E (&values)[N]) {
  std::vector<std::string> out;
  for (auto v : values)
    out.emplace_back(jobs::to_string(v));
  return out;
}
const std::vector<std::string>& kind_names() {
  static const auto names_ = names(jobs::k_all_kinds);
  return names_;
}
const std::vector<std::string>& status_names() {
  static const auto names_ = names(jobs::k_all_statuses);
  return names_;
}

void print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
}

std::string log_tail(const std::string& path, std::size_t lines) {
  std::ifstream in(path);
  if (!in)
    return "(log " + path + " cannot be read)\n";
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (tail.size() > lines)
      tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail)
    out += l + "\n";
  return out;
}

// The job, its artifacts and (as a table) the end of its log; JSON: the job's object with an
// "artifacts" member.
void print_job(const JobDetail& detail, util::Format format) {
  if (format == util::Format::json) {
    auto job = util::render_object(detail.job, 0);
    auto artifacts = util::render(detail.artifacts, util::Format::json);
    job.pop_back();       // the closing brace
    artifacts.pop_back(); // newline
    std::string changes = "[";
    for (std::size_t i = 0; i < detail.changes.rows.size(); ++i) {
      auto row = util::render_object(detail.changes, i);
      row.pop_back();
      changes += (i == 0 ? "" : ",") + row + ",\"largest_changes\":" +
                 changes::largest_json(detail.summaries[i].summary.largest) + "}";
    }
    print(job + ",\"artifacts\":" + artifacts + ",\"changes\":" + changes + "]}\n");
    return;
  }
  print(util::render(detail.job, format));
  print("\n" + util::render(detail.artifacts, format));
  if (format == util::Format::table && !detail.changes.rows.empty()) {
    print("\nchanges\n" + util::render(detail.changes, format));
    if (!detail.largest.rows.empty())
      print("\nlargest changes\n" + util::render(detail.largest, format));
  }
  if (format == util::Format::table && detail.log_path)
    print("\nend of " + *detail.log_path + ":\n" + log_tail(*detail.log_path, 20));
}

void print_archives(const ArchivesReport& listing, util::Format format) {
  print(util::render(listing.archives, format));
  if (format == util::Format::table && listing.unknown > 0)
    print("\n" + std::to_string(listing.unknown) +
          " archives are not in the catalog: run om-backup-sync to add them to the history\n");
}

// Per kind, per target, then the local repository's totals when borg could tell them. JSON is
// one object {"kinds": [...], "targets": [...], "repository": {...} or null}; CSV is the
// per-kind table only (one table).
void print_stats(const util::Table& kinds, const util::Table& targets,
                 const std::optional<borg::RepositoryStats>& totals, util::Format format) {
  if (format == util::Format::json) {
    auto list = util::render(kinds, util::Format::json);
    list.pop_back(); // newline
    auto per_target = util::render(targets, util::Format::json);
    per_target.pop_back();
    auto repo = totals ? util::render_object(repository_table(*totals), 0) : std::string("null");
    print("{\"kinds\":" + list + ",\"targets\":" + per_target + ",\"repository\":" + repo + "}\n");
    return;
  }
  print(util::render(kinds, format));
  if (format != util::Format::table)
    return;
  if (!targets.rows.empty())
    print("\ntargets\n" + util::render(targets, format));
  if (totals)
    print("\nrepository\n" + util::render(repository_table(*totals), format));
}

// Stats: the catalog's per kind and per target, each target's repository size from borg (all
// asked at once: borg is slow to start, more so over ssh) while the catalog answers.
Result<void> run_stats(db::Catalog& catalog, const config::Options& options,
                       std::optional<std::int64_t> since, const std::optional<std::string>& host,
                       util::Format format) {
  OM_TRY(targets, config::resolve_targets(options));
  auto sizes = ask_repository_totals(options, targets);
  OM_TRY(kinds, job_stats(catalog, since, host));
  OM_TRY(per_target, target_stats(catalog, since, host));
  per_target.columns.emplace_back("repository_size");
  std::optional<borg::RepositoryStats> local;
  for (auto& row : per_target.rows)
    row.emplace_back(std::monostate{});
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto totals = sizes[i].get();
    if (targets[i].name == config::k_local_target)
      local = totals;
    auto row = std::ranges::find_if(per_target.rows, [&](const std::vector<util::Cell>& r) {
      return std::get<std::string>(r.front()) == targets[i].name;
    });
    if (row == per_target.rows.end()) { // configured, nothing recorded yet
      std::vector<util::Cell> empty(per_target.columns.size(), std::monostate{});
      empty.front() = targets[i].name;
      for (std::size_t c = 1; c <= 5; ++c) // total … running
        empty[c] = std::int64_t{0};
      per_target.rows.push_back(std::move(empty));
      row = std::prev(per_target.rows.end());
    }
    if (totals)
      row->back() = totals->unique_csize;
  }
  print_stats(kinds, per_target, local, format);
  return {};
}

Result<ExitStatus> run_check(const config::Options& options, const ReportRequest& r) {
  auto result = [&]() -> Result<CheckResult> {
    CheckOptions o;
    OM_TRY(age, util::parse_duration(r.max_age));
    OM_TRY(runtime, util::parse_duration(r.max_runtime));
    o.max_age_s = age;
    o.max_runtime_s = runtime;
    o.kind = r.kind;
    o.host = r.host;
    OM_TRY(targets, config::resolve_targets(options));
    for (const auto& t : targets) {
      o.checked_targets.push_back(t.name);
      if (t.name != config::k_local_target)
        o.targets.push_back(t.name);
      o.copy_destinations.insert(o.copy_destinations.end(), t.copy_to.begin(), t.copy_to.end());
    }
    if (r.max_verify_age != "0") {
      OM_TRY(verify_age, util::parse_duration(r.max_verify_age));
      o.max_verify_age_s = verify_age;
    }
    if (!r.max_copy_age.empty()) {
      OM_TRY(copy_age, util::parse_duration(r.max_copy_age));
      o.max_copy_age_s = copy_age;
    }
    OM_TRY(catalog, config::open_catalog(options));
    // The UI's schedule, when it has one and backups are enabled: a missed run is flagged.
    OM_TRY(settings, config::load_settings(catalog));
    auto enabled = settings.find("enabled");
    auto schedule = settings.find("schedule");
    if (schedule != settings.end() && schedule->second &&
        (enabled == settings.end() || !enabled->second || *enabled->second != "0"))
      o.schedule = *schedule->second;
    return check_backups(catalog, o, util::now_unix());
  }();
  auto outcome = result ? *result : unknown_result(result.error().message);
  print(outcome.line + "\n");
  return static_cast<ExitStatus>(outcome.state); // the plugin convention, not sysexits
}

// The reports about what runs and what changed: follow, diff, digest.
Result<ExitStatus> run_live(db::Catalog& catalog, const config::Options& options,
                            const ReportRequest& r, util::Format format) {
  if (r.command == Command::follow) {
    FollowRequest f;
    if (!r.jobs.empty())
      f.job_id = r.jobs.front();
    f.host = r.host;
    f.wait = r.wait;
    f.json =
        options.json || r.format == "json" || (r.format == "table" && ::isatty(STDOUT_FILENO) == 0);
    return follow_job(catalog, f);
  }
  if (r.command == Command::digest) {
    OM_TRY_VOID(run_digest(catalog, options, r.digest));
    return ExitStatus::ok;
  }
  DiffRequest d{r.jobs.front(), std::nullopt, r.paths, r.all, r.target, format};
  if (r.jobs.size() > 1)
    d.to = r.jobs[1];
  OM_TRY_VOID(run_diff(catalog, options, d));
  return ExitStatus::ok;
}

} // namespace

void add_report_options(config::Cli& cli, ReportRequest& r) {
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.add_output_options();
  cli.add_notification_options(); // digest --mail goes to notification_email
  auto& app = cli.app();
  app.require_subcommand(1, 1);
  app.fallthrough(); // --json, --format and the catalog options work after the subcommand too
  app.add_option("--format", r.format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  auto* jobs = app.add_subcommand("jobs", "Job history, newest first");
  jobs->add_option("--kind", r.kind, "Only this kind")->check(CLI::IsMember(kind_names()));
  jobs->add_option("--status", r.status, "Only this status")->check(CLI::IsMember(status_names()));
  jobs->add_option("--since", r.since, "From (2026-02-07, 2026-02-07T02:00, 24h, 7d)");
  jobs->add_option("--until", r.until, "Until (same forms)");
  jobs->add_option("--limit", r.limit, "At most this many")->check(CLI::PositiveNumber);
  jobs->add_option("--host", r.host, "Only jobs run on this host");
  auto* restores =
      app.add_subcommand("restores", "Restores (om-backup-restore files/db), newest first");
  restores->add_option("--status", r.status, "Only this status")
      ->check(CLI::IsMember({"running", "success", "failed", "cancelled"}));
  restores->add_option("--since", r.since, "From (2026-02-07, 2026-02-07T02:00, 24h, 7d)");
  restores->add_option("--until", r.until, "Until (same forms)");
  restores->add_option("--limit", r.limit, "At most this many")->check(CLI::PositiveNumber);
  restores->add_option("--host", r.host, "Only restores made on this host");
  auto* checks = app.add_subcommand(
      "checks", "Verifications (om-backup-check): per run, target and level, newest first");
  checks->add_option("--status", r.status, "Only this status")
      ->check(CLI::IsMember({"success", "corrupt", "failed", "cancelled"}));
  checks->add_option("--since", r.since, "From (2026-02-07, 2026-02-07T02:00, 24h, 7d)");
  checks->add_option("--until", r.until, "Until (same forms)");
  checks->add_option("--limit", r.limit, "At most this many")->check(CLI::PositiveNumber);
  checks->add_option("--host", r.host, "Only checks run on this host");
  checks->add_option("--target", r.target, "Only this target");
  auto* job = app.add_subcommand("job", "One job with its artifacts and the end of its log");
  job->add_option("id", r.job_id, "Job id")->required();
  auto* stats = app.add_subcommand(
      "stats", "Counts, success rate, durations and sizes per kind and per target");
  stats->add_option("--since", r.since, "From (2026-02-07, 24h, 7d)");
  stats->add_option("--host", r.host, "Only jobs run on this host");
  auto* archives = app.add_subcommand(
      "archives", "Every target's archives with the job that made each (unknown ones: run sync)");
  auto* check =
      app.add_subcommand("check", "Monitoring check (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)");
  check->add_option("--max-age", r.max_age, "The last success may be this old (26h)");
  check->add_option("--max-runtime", r.max_runtime, "A job may run this long (6h)");
  check->add_option("--kind", r.kind, "Only this kind")->check(CLI::IsMember(kind_names()));
  check->add_option("--host", r.host, "Only jobs run on this host");
  check->add_option("--max-copy-age", r.max_copy_age,
                    "Also check each cloud copy destination (copy-to, else those recorded): its "
                    "last copy may be this old (WARNING; twice as old: CRITICAL)");
  check->add_option("--max-verify-age", r.max_verify_age,
                    "Once om-backup-check runs: each target's data must have been verified "
                    "within this (35d; 0: not checked)");
  auto* metrics = app.add_subcommand("metrics", "Prometheus text exposition");
  metrics->add_option("--output", r.output,
                      "Write to FILE atomically (node_exporter textfile dir)");
  auto* configuration = app.add_subcommand(
      "config", "Every setting with where it came from; --check: test the configuration (0 or 78)");
  configuration->add_flag("--check", r.check,
                          "Test the catalog, repositories, folders, programs, schedule and pings");
  auto* follow = app.add_subcommand(
      "follow", "Follow a job or a restore as it runs: JSON lines (phase, progress, log, end) "
                "in a pipe, a view on a terminal; exits with its exit status");
  follow->add_option("job", r.jobs, "Job or restore id (default: the running job)")->expected(0, 1);
  follow->add_flag("--wait", r.wait,
                   "With no job running, wait for the next one to start; with an id, wait for "
                   "it to appear");
  follow->add_option("--host", r.host, "With no job named: only this host's");
  auto* diff = app.add_subcommand(
      "diff", "What changed between two backups (jobs or archives); one job: since the previous");
  diff->add_option("backups", r.jobs, "A [B]: job ids or archive names")
      ->expected(1, 2)
      ->required();
  diff->add_option("--path", r.paths, "Only this path and what is under it (repeatable)");
  diff->add_flag("--all", r.all, "Also changes of timestamps only (every parent folder's)");
  diff->add_option("--target", r.target, "The target whose repository holds the archives");
  auto* digest = app.add_subcommand(
      "digest", "A digest of the backup history with charts: a page (--html), a mail (--mail), "
                "or text");
  digest->add_option("--since", r.digest.since, "From (default 30d: the last 30 days)");
  digest->add_option("--max-age", r.digest.max_age, "A last success older than this is red (26h)");
  digest->add_option("--html", r.digest.html, "Write the page to FILE (self-contained)");
  digest->add_flag("--mail", r.digest.mail, "Send it (HTML with PNG charts, and text) by mail");
  digest->add_option("--mail-to", r.digest.mail_to,
                     "Recipient (default: backup_settings.notification_email)");
  digest->add_option("--sendmail", r.digest.sendmail,
                     "Mail command (reads the message on stdin; default sendmail -t)");
  digest->add_option("--gnuplot", r.digest.gnuplot, "The gnuplot program (default gnuplot)");
  const std::pair<CLI::App*, Command> commands[] = {
      {jobs, Command::jobs},     {restores, Command::restores}, {checks, Command::checks},
      {job, Command::job},       {stats, Command::stats},       {archives, Command::archives},
      {check, Command::check},   {metrics, Command::metrics},   {configuration, Command::config},
      {follow, Command::follow}, {diff, Command::diff},         {digest, Command::digest}};
  for (auto [sub, command] : commands)
    sub->callback([&r, command] { r.command = command; });
}

Result<ExitStatus> run_report(config::Options& options, const ReportRequest& r) {
  if (r.command == Command::check)
    return run_check(options, r);
  OM_TRY(format, util::parse_format(options.json ? std::string("json") : r.format));
  if (r.command == Command::config)
    return run_config(ConfigRequest{r.args, r.check, format});
  auto now = util::now_unix();
  JobFilter filter{r.kind, r.status, std::nullopt, std::nullopt, r.limit, r.host};
  if (!r.since.empty()) {
    OM_TRY(since, parse_when(r.since, now));
    if (since > 0) // the epoch or before it: from the beginning, so no bound at all
      filter.since = since;
  }
  if (!r.until.empty()) {
    OM_TRY(until, parse_when(r.until, now));
    filter.until = until;
  }
  OM_TRY(catalog, config::open_catalog_with_settings(options));
  switch (r.command) {
  case Command::follow:
  case Command::diff:
  case Command::digest:
    return run_live(catalog, options, r, format);
  case Command::jobs: {
    OM_TRY(table, list_jobs(catalog, filter));
    print(util::render(table, format));
    break;
  }
  case Command::restores: {
    OM_TRY(table, list_restores(catalog, filter));
    print(util::render(table, format));
    break;
  }
  case Command::checks: {
    OM_TRY(table, list_checks(catalog, filter, r.target));
    print(util::render(table, format));
    break;
  }
  case Command::job: {
    OM_TRY(detail, job_detail(catalog, r.job_id));
    print_job(detail, format);
    break;
  }
  case Command::stats:
    OM_TRY_VOID(run_stats(catalog, options, filter.since, r.host, format));
    break;
  case Command::archives: {
    OM_TRY(listing, list_archives(catalog, options));
    print_archives(listing, format);
    if (!listing.unreachable.empty())
      return ExitStatus::warning;
    break;
  }
  case Command::metrics: {
    OM_TRY(text, prometheus_metrics(catalog));
    if (r.output.empty())
      print(text);
    else
      OM_TRY_VOID(util::write_file_atomic(r.output, text, 0644));
    break;
  }
  case Command::check:
  case Command::config:
    break; // answered above
  }
  return ExitStatus::ok;
}

} // namespace om::report
