#include <om/run/manifest.hpp>

#include <om/run/borg_backup.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/json_writer.hpp>
#include <om/version.hpp>

namespace om::run {

Result<std::string> write_borg_manifest(const BorgBackup& b, const borg::CreateResult& created) {
  const auto& record = b.recorder.record();
  // borg create --json describes the archive as borg info does, less the host and user that
  // made it (which are us): no second borg call, which would cost most of a second.
  util::JsonWriter w;
  w.begin_object()
      .field("job_id", record.job.id)
      .field("kind", record.job.kind)
      .field("host", record.details.host)
      .field("requested_by", record.job.requested_by)
      .field("started_at", record.job.started_at)
      .field("log_path", record.details.log_path)
      .field("repository", b.plan.repo)
      .field("repository_id", created.repository.id)
      .field("archive", created.archive.name)
      .field("archive_id", created.archive.id)
      .field("om_backup_version", std::string(k_version));
  w.field("hostname", record.details.host).field("username", util::login_name());
  w.key("borg_info").raw(created.archive.raw_json.empty() ? "null" : created.archive.raw_json);
  w.end_object();
  auto dir = b.options.state_dir + "/manifests";
  OM_TRY_VOID(util::open_private_dir(b.options.state_dir, 0750));
  OM_TRY_VOID(util::open_private_dir(dir, 0750));
  auto path = dir + "/" + record.job.id + ".json";
  OM_TRY_VOID(util::write_file_atomic(path, w.str() + "\n", 0640));
  return path;
}

} // namespace om::run
