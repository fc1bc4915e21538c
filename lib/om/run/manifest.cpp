#include <om/run/manifest.hpp>

#include <om/jobs/manifest.hpp>
#include <om/run/borg_backup.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>

namespace om::run {

Result<std::string> write_borg_manifest(const BorgBackup& b, const borg::CreateResult& created,
                                        bool first) {
  const auto& record = b.recorder.record();
  // borg create --json describes the archive as borg info does, less the host and user that
  // made it (which are us): no second borg call, which would cost most of a second.
  auto text = jobs::archive_manifest(
      {"om-backup-run", &record.job, record.details.host, std::nullopt, record.details.log_path},
      {b.plan.repo, created.repository.id, created.archive.name, created.archive.id,
       created.archive.raw_json, record.details.host, util::login_name()});
  return jobs::write_manifest_file(b.options.state_dir, record.job.id,
                                   first ? "" : "." + b.target.name, text);
}

} // namespace om::run
