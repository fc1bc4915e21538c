#include <om/attempt/recorder.hpp>

#include <algorithm>

#include <spdlog/spdlog.h>

#include <om/jobs/spool.hpp>
#include <om/jobs/store.hpp>
#include <om/progress/progress_store.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::attempt {

JobRecorder::JobRecorder(db::Catalog* catalog, std::string state_dir)
    : m_catalog(catalog), m_state_dir(std::move(state_dir)) {}

Result<void> JobRecorder::start(jobs::Kind kind, const std::string& requested_by,
                                const std::optional<jobs::Job>& adopted, jobs::RunDetails details,
                                const std::string& target) {
  m_started_ms = util::monotonic_ms();
  auto& job = m_record.job;
  if (adopted) {
    if (adopted->kind != kind)
      spdlog::info("job {} was queued as kind '{}'; running it as that kind", adopted->id,
                   jobs::to_string(adopted->kind));
    job = *adopted;
  } else {
    job.kind = kind;
    job.status = jobs::Status::running;
    job.requested_by = requested_by;
    job.started_at = util::now_unix();
    job.id = util::uuid_v4();
    if (m_catalog != nullptr)
      OM_TRY_VOID(jobs::JobStore(*m_catalog).insert(job));
  }
  details.job_id = job.id;
  m_record.details = std::move(details);
  if (m_catalog != nullptr) {
    OM_TRY_VOID(jobs::JobStore(*m_catalog).save_details(m_record.details));
    if (m_record_progress)
      m_progress.start(m_catalog->options(), job.id, job.kind, target);
  }
  return {};
}

void JobRecorder::set_log_path(const std::string& path) {
  m_record.details.log_path = path;
  save_details();
}

void JobRecorder::set_archive(const std::string& name, const std::string& id) {
  m_record.details.archive_name = name;
  if (!id.empty())
    m_record.details.archive_id = id;
  save_details();
}

void JobRecorder::save_details() {
  // Written as soon as known, so a job that dies before it finishes still names its log and
  // its archive (sync links that archive to it instead of inventing a job).
  if (m_catalog != nullptr) {
    if (auto r = jobs::JobStore(*m_catalog).save_details(m_record.details); !r)
      spdlog::warn("{}", r.error().message);
  }
}

void JobRecorder::set_target(const jobs::TargetResult& target) {
  auto it = std::ranges::find(m_record.targets, target.target, &jobs::TargetResult::target);
  if (it == m_record.targets.end())
    m_record.targets.push_back(target);
  else
    *it = target;
  if (m_catalog != nullptr) {
    if (auto r = jobs::JobStore(*m_catalog).save_target(m_record.job.id, target); !r)
      spdlog::warn("{}", r.error().message);
  }
}

void JobRecorder::add_artifact(jobs::Artifact artifact) {
  artifact.job_id = m_record.job.id;
  if (artifact.id.empty())
    artifact.id = util::uuid_v4();
  m_record.artifacts.push_back(std::move(artifact));
}

void JobRecorder::add_changes(changes::TargetSummary changes) {
  m_record.changes.push_back(std::move(changes));
}

Result<std::optional<std::string>> JobRecorder::finish(jobs::Status status,
                                                       const std::optional<std::string>& error) {
  const auto last = m_progress.finish(status);
  auto& job = m_record.job;
  job.status = status;
  job.error = error;
  job.finished_at = util::now_unix();
  job.duration_ms = util::monotonic_ms() - m_started_ms;
  if (m_catalog != nullptr) {
    jobs::JobStore store(*m_catalog);
    std::vector<jobs::JobStore::ExtraWrite> extras;
    if (last)
      extras.emplace_back([this, &last](db::Catalog& catalog) {
        return progress::save(catalog, m_record.job.id, *last);
      });
    auto written = store.upsert(m_record, extras);
    if (written)
      return std::optional<std::string>{};
    spdlog::warn("could not record job {} in the catalog ({}); spooling it", job.id,
                 written.error().message);
  }
  OM_TRY(path, jobs::spool_record(m_state_dir, m_record));
  spdlog::warn("catalog unavailable: job {} was spooled to {} and will be written by the next "
               "om-backup-run or om-backup-sync",
               job.id, path);
  return std::optional<std::string>(path);
}

} // namespace om::attempt
