#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/jobs/job.hpp>
#include <om/lock/host_lock.hpp>
#include <om/run/outcome.hpp>
#include <om/run/recorder.hpp>
#include <om/run/request.hpp>
#include <om/util/error.hpp>

// The start and the end every job-making tool shares (om-backup-run, om-backup-copy): the
// catalog or the spool, the UI's queued job claimed, the locks of what the job writes, and at
// the end the record, the locks let go, whoever wants to know.
namespace om::run {

// The catalog, or nothing when it is unreachable: the job runs anyway and is spooled.
[[nodiscard]] Result<std::optional<db::Catalog>> connect_or_spool(config::Options& options);

// What a tool holds once its job may start.
struct Started {
  std::optional<jobs::Job> adopted; // the UI's queued job, claimed
  lock::HostLock host_lock;         // one job at a time on this host
};

// What a job writes: `lock_names[i]` is the catalog lock of `places[i]`, each waited for up to
// `lock_wait_s` (the targets' lock-wait; borg's own default otherwise).
struct JobPlaces {
  std::vector<std::string> places;
  std::vector<std::string> lock_names;
  int lock_wait_s = k_default_lock_wait_s;

  static constexpr int k_default_lock_wait_s = 1; // borg's
  // The longest lock-wait of these targets.
  [[nodiscard]] static int lock_wait_of(const std::vector<config::Target>& targets);
};

// Who asks: the job this attempt would be, as recorded.
struct Attempt {
  jobs::Kind kind = jobs::Kind::borg;
  std::string requested_by;
  jobs::RunDetails details; // host, pid, origin, first place
};

// Claims the queued job (one conditional UPDATE decides between two runs started for it; the
// other gets exit 75), takes this host's lock and every place's catalog lock, waiting up to
// the places' lock-wait for another host's job to end. Still taken then: exit 75 naming that
// job, and the attempt is in the history as `cancelled` with that reason and this host (the
// claimed job, or a new one), so the UI shows that this backup did not run and why. Then writes
// what the spool holds and closes this host's abandoned jobs.
[[nodiscard]] Result<Started> start_job(db::Catalog* catalog, const config::Options& options,
                                        const std::optional<std::string>& adopt_job,
                                        const JobPlaces& places, const Attempt& attempt,
                                        const char* tool, std::int64_t now);

// Ends the job: its record (else the spool), the catalog locks let go, mail and hooks,
// --json; the outcome's error is the tool's (a warning is printed as one).
[[nodiscard]] Result<ExitStatus> finish_job(JobRecorder& recorder, const Outcome& outcome,
                                            db::Catalog* catalog, const JobPlaces& places,
                                            const config::Options& options,
                                            const RunRequest& notify_settings);

} // namespace om::run
