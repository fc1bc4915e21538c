#pragma once

#include <optional>
#include <string>
#include <vector>

#include <om/config/cli.hpp>
#include <om/report/digest/digest.hpp>
#include <om/util/error.hpp>

namespace om::report {

// The subcommands.
enum class Command {
  jobs,
  restores,
  checks,
  job,
  stats,
  archives,
  check,
  metrics,
  config,
  follow,
  diff,
  digest
};

// What `om-backup-report` was asked (its subcommands and their options).
struct ReportRequest {
  Command command = Command::jobs;
  // | digest
  std::string format = "table";
  std::optional<std::string> kind;
  std::optional<std::string> status;
  std::optional<std::string> host; // jobs, stats, check: only this host's jobs
  std::string since;
  std::string until;
  int limit = 50;
  std::string job_id;
  std::string max_age = "26h";
  std::string max_runtime = "6h";
  std::string max_copy_age;           // check: set, each copy destination is checked too
  std::string max_verify_age = "35d"; // check: a target's data must have been verified since
  std::string output;                 // metrics: write here atomically instead of stdout
  bool check = false;                 // config: check the configuration instead of showing it
  std::vector<std::string> args;      // the command line as given (config shows its settings)
  std::vector<std::string> jobs;      // follow: [JOB]; diff: A [B]
  bool wait = false;                  // follow: wait for the next job when none runs
  std::vector<std::string> paths;     // diff --path
  bool all = false;                   // diff --all
  std::optional<std::string> target;  // diff --target, checks --target
  DigestRequest digest;
};

// Every option of om-backup-report: the shared groups, the subcommands and their options.
void add_report_options(config::Cli& cli, ReportRequest& request);

// Runs the chosen report. `check` returns its monitoring-plugin state as the exit status
// (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) and reports its own errors as UNKNOWN.
[[nodiscard]] Result<ExitStatus> run_report(config::Options& options, const ReportRequest& request);

} // namespace om::report
