#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <om/attempt/notify.hpp>
#include <om/attempt/outcome.hpp>
#include <om/attempt/recorder.hpp>
#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/util/error.hpp>

// The life of a recorded attempt, the same for every tool that makes a job (om-backup-run,
// om-backup-copy): the catalog or the spool; the UI's queued job claimed; this host's lock and
// the catalog lock of each place the job writes; the job's row, its progress and its log; the
// work; then the record (else the spool), the locks let go, mail and hooks, --json.
namespace om::attempt {

// The catalog, or nothing when it is unreachable: the job runs anyway and is spooled.
[[nodiscard]] Result<std::optional<db::Catalog>> connect_or_spool(config::Options& options);

// What a job writes: `lock_names[i]` is the catalog lock of `places[i]`, each waited for up to
// `lock_wait_s` (the targets' lock-wait; borg's own default otherwise).
struct JobPlaces {
  std::vector<std::string> places;
  std::vector<std::string> lock_names;
  int lock_wait_s = k_default_lock_wait_s;

  static constexpr int k_default_lock_wait_s = 1; // borg's
  // The longest lock-wait of these targets.
  [[nodiscard]] static int lock_wait_of(const std::vector<config::Target>& targets);
  // Borg repositories, each under its catalog repository lock.
  [[nodiscard]] static JobPlaces repositories(std::vector<std::string> repos, int lock_wait_s);
};

// Who asks: the job this attempt would be, as recorded.
struct Attempt {
  jobs::Kind kind = jobs::Kind::borg;
  std::string requested_by;
  jobs::RunDetails details; // host, pid, origin (its repository: the first place)
};

// Everything run_recorded needs besides the work itself.
struct RecordedAttempt {
  const config::Options& options;       // the tool's settings (log, state and lock folders)
  const char* tool = "";                // names the host lock's holder and the log's header
  db::Catalog* catalog = nullptr;       // null: the catalog is down, the record is spooled
  std::optional<std::string> adopt_job; // the UI's queued job to claim (--job-id)
  JobPlaces places;                     // what the job writes, locked while it runs
  Attempt attempt;                      // the job as recorded
  NotifySettings notify;                // mail and hooks at the end
  std::string log_prefix = "backup";    // <log-dir>/<prefix>-YYYYMMDD-HHMMSS.log
  std::string log_header_extra;         // appended to the log's first line
  std::string progress_target;          // the borg target whose last run estimates progress
  bool record_progress = true;          // backup_job_progress kept current
  std::int64_t now = 0;                 // when the tool started (Unix seconds)
  // Once the job may start (locks held), before its row is written: e.g. marking a scheduled
  // run as done. A failure ends the attempt unrecorded.
  std::function<Result<void>()> on_started;
};

// The work of a job, given its recorder (for artifacts, targets, progress): every failure
// comes back as the Outcome.
using Work = std::function<Outcome(JobRecorder& recorder)>;

// Claims the queued job (one conditional UPDATE decides between two runs started for it; the
// other gets exit 75), takes this host's lock and every place's catalog lock, waiting up to
// the places' lock-wait for another host's job to end. Still taken then: exit 75 naming that
// job, and the attempt is in the history as `cancelled` with that reason and this host (the
// claimed job, or a new one), so the UI shows that this job did not run and why. Then writes
// what the spool holds, closes this host's abandoned jobs, records the job as running, opens
// its log, does the work, and ends the job: its record (else the spool), the catalog locks let
// go, mail and hooks, --json; the outcome's error is the tool's (a warning is printed as one).
// Returns the exit status: 0 ok, 1 warnings, 75 locked, 130 interrupted; failures as errors.
[[nodiscard]] Result<ExitStatus> run_recorded(const RecordedAttempt& attempt, const Work& work);

} // namespace om::attempt
