#include <om/jobs/manifest.hpp>

#include <date/tz.h>

#include <om/util/files.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/time.hpp>
#include <om/version.hpp>

namespace om::jobs {
namespace {

std::optional<std::string> iso(const std::optional<std::int64_t>& t) {
  if (!t)
    return std::nullopt;
  return util::iso8601(*t, date::current_zone());
}

// The fields every manifest starts with; `artifact_type` tells which kind of facts follow.
void common(util::JsonWriter& w, const ManifestJob& m, const std::string& artifact_type) {
  const Job& job = *m.job;
  w.field("schema", static_cast<std::int64_t>(k_manifest_schema))
      .field("job_id", job.id)
      .field("kind", to_string(job.kind))
      .field("artifact_type", artifact_type)
      .field("origin", m.origin)
      .field("host", m.host)
      .field("requested_by", job.requested_by)
      .field("started_at", iso(job.started_at))
      .field("finished_at", iso(m.finished_at ? m.finished_at : job.finished_at))
      .field("log_path", m.log_path)
      .field("om_backup_version", std::string(k_version));
}

} // namespace

std::string archive_manifest(const ManifestJob& m, const ArchiveFacts& a) {
  util::JsonWriter w;
  w.begin_object();
  common(w, m, "borg");
  w.field("repository", a.repository)
      .field("repository_id",
             a.repository_id.empty() ? std::optional<std::string>() : a.repository_id)
      .field("archive", a.archive)
      .field("archive_id", a.archive_id)
      .field("hostname", a.hostname)
      .field("username", a.username)
      .field("borg_version", a.borg_version);
  w.key("borg_info").raw(a.borg_info_json.empty() ? "null" : a.borg_info_json);
  w.end_object();
  return w.str() + "\n";
}

std::string file_manifest(const ManifestJob& m, const FileFacts& f) {
  util::JsonWriter w;
  w.begin_object();
  common(w, m, f.artifact_type);
  w.field("file", f.file).field("size", f.size).field("sha256", f.sha256);
  if (f.artifact_type == "files") {
    w.key("sources").begin_array();
    for (const auto& s : f.sources)
      w.value(s);
    w.end_array().field("file_count", f.entries);
  } else {
    w.field("database", f.database).field("table_count", f.entries);
  }
  w.key("tool_versions").begin_object();
  for (const auto& [tool, version] : f.tool_versions)
    w.field(tool, version);
  w.end_object().end_object();
  return w.str() + "\n";
}

std::string copy_manifest(const ManifestJob& m, const CopyFacts& c) {
  util::JsonWriter w;
  w.begin_object();
  common(w, m, "copy");
  w.field("target", c.target)
      .field("repository", c.repository)
      .field("destination", c.destination)
      .field("backup_dir", c.backup_dir)
      .field("destination_files", c.destination_files)
      .field("destination_bytes", c.destination_bytes)
      .field("bytes_transferred", c.bytes_transferred)
      .field("files_transferred", c.files_transferred)
      .field("files_deleted", c.files_deleted)
      .field("checked", c.checked);
  w.key("rclone_stats")
      .begin_object()
      .field("bytes", c.rclone_bytes)
      .field("transfers", c.rclone_transfers)
      .field("checks", c.rclone_checks)
      .field("deletes", c.rclone_deletes)
      .field("renames", c.rclone_renames)
      .field("errors", c.rclone_errors)
      .end_object();
  w.key("tool_versions").begin_object();
  w.field("om-backup", std::string(k_version)).field("rclone", c.rclone_version);
  w.end_object().end_object();
  return w.str() + "\n";
}

Result<std::string> write_manifest_file(const std::string& state_dir, const std::string& job_id,
                                        const std::string& suffix, std::string_view text) {
  auto dir = state_dir + "/manifests";
  OM_TRY_VOID(util::open_private_dir(state_dir, 0750));
  OM_TRY_VOID(util::open_private_dir(dir, 0750));
  auto path = dir + "/" + job_id + suffix + ".json";
  OM_TRY_VOID(util::write_file_atomic(path, text, 0640));
  return path;
}

} // namespace om::jobs
