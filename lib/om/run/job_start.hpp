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

// What a job writes, and who is asking: `lock_names[i]` is the catalog lock of `places[i]`.
struct JobPlaces {
  std::vector<std::string> places;
  std::vector<std::string> lock_names;
};

// Claims the queued job (one conditional UPDATE decides between two runs started for it; the
// other gets exit 75), takes this host's lock and every place's catalog lock (taken by another
// host's job: exit 75 naming it; a claimed job then ends cancelled with that reason), writes
// what the spool holds and closes this host's abandoned jobs.
[[nodiscard]] Result<Started> start_job(db::Catalog* catalog, const config::Options& options,
                                        const std::optional<std::string>& adopt_job,
                                        const JobPlaces& places, const char* tool,
                                        std::int64_t now);

// Ends the job: its record (else the spool), the catalog locks let go, mail and hooks,
// --json; the outcome's error is the tool's (a warning is printed as one).
[[nodiscard]] Result<ExitStatus> finish_job(JobRecorder& recorder, const Outcome& outcome,
                                            db::Catalog* catalog, const JobPlaces& places,
                                            const config::Options& options,
                                            const RunRequest& notify_settings);

} // namespace om::run
