#include <om/run/manifest.hpp>

#include <om/borg/parse.hpp>
#include <om/run/borg_backup.hpp>
#include <om/util/files.hpp>
#include <om/util/json_writer.hpp>
#include <om/version.hpp>

namespace om::run {

Result<std::string> write_borg_manifest(const BorgBackup& b, const borg::CreateResult& created) {
  const auto& record = b.recorder.record();
  // borg info has what create --json lacks (hostname, username, command line, full stats).
  std::string archive_json = created.archive.raw_json;
  auto info = b.client.run({"info", "--json", b.plan.repo + "::" + created.archive.name});
  if (info && info->ok()) {
    if (auto parsed = borg::parse_info(info->outcome.stdout_text);
        parsed && parsed->archives.size() == 1)
      archive_json = parsed->archives.front().raw_json;
  }
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
  w.key("borg_info").raw(archive_json.empty() ? "null" : archive_json);
  w.end_object();
  auto dir = b.options.state_dir + "/manifests";
  OM_TRY_VOID(util::make_dirs(dir, 0750));
  auto path = dir + "/" + record.job.id + ".json";
  OM_TRY_VOID(util::write_file_atomic(path, w.str() + "\n", 0640));
  return path;
}

} // namespace om::run
