#include <om/run/manifest.hpp>

#include <om/borg/version.hpp>
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
  const auto borg = borg::require_supported(b.options.borg_command);
  auto text = jobs::archive_manifest(
      {"om-backup-run", &record.job, record.details.host, std::nullopt, record.details.log_path},
      {.repository = b.plan.repo,
       .repository_id = created.repository.id,
       .archive = created.archive.name,
       .archive_id = created.archive.id,
       .borg_info_json = created.archive.raw_json,
       .hostname = record.details.host,
       .username = util::login_name(),
       .borg_version = borg && *borg ? std::optional((*borg)->text) : std::nullopt});
  return jobs::write_manifest_file(b.options.state_dir, record.job.id,
                                   first ? "" : "." + b.target.name, text);
}

} // namespace om::run
