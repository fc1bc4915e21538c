#include <om/jobs/record_json.hpp>

#include <simdjson.h>

#include <om/changes/change_store.hpp>
#include <om/util/json_writer.hpp>

namespace om::jobs {
namespace {

void write_job(util::JsonWriter& w, const Job& j) {
  w.begin_object()
      .field("id", j.id)
      .field("kind", to_string(j.kind))
      .field("status", to_string(j.status))
      .field("requested_by", j.requested_by)
      .field("started_at", j.started_at)
      .field("finished_at", j.finished_at)
      .field("duration_ms", j.duration_ms)
      .field("error", j.error)
      .field("created_at", j.created_at)
      .end_object();
}

void write_details(util::JsonWriter& w, const RunDetails& d) {
  w.begin_object()
      .field("host", d.host)
      .field("pid", d.pid)
      .field("origin", d.origin)
      .field("log_path", d.log_path)
      .field("repository", d.repository)
      .field("archive_name", d.archive_name)
      .field("archive_id", d.archive_id)
      .end_object();
}

void write_artifact(util::JsonWriter& w, const Artifact& a) {
  w.begin_object()
      .field("id", a.id)
      .field("type", a.type)
      .field("file_path", a.file_path)
      .field("file_size", a.file_size)
      .field("sha256", a.sha256)
      .field("manifest_path", a.manifest_path)
      .end_object();
}

using Element = simdjson::dom::element;

std::string get_text(Element e, const char* key) {
  auto v = e[key];
  if (v.error() != simdjson::SUCCESS || v.is_null())
    return {};
  return std::string(std::string_view(v.get_string()));
}
std::optional<std::string> get_opt_text(Element e, const char* key) {
  auto v = e[key];
  if (v.error() != simdjson::SUCCESS || v.is_null())
    return std::nullopt;
  return std::string(std::string_view(v.get_string()));
}
std::optional<std::int64_t> get_opt_int(Element e, const char* key) {
  auto v = e[key];
  if (v.error() != simdjson::SUCCESS || v.is_null())
    return std::nullopt;
  return std::int64_t(v.get_int64());
}

void write_target(util::JsonWriter& w, const TargetResult& t) {
  w.begin_object()
      .field("target", t.target)
      .field("repository", t.repository)
      .field("status", to_string(t.status))
      .field("error", t.error)
      .field("archive_name", t.archive_name)
      .field("archive_id", t.archive_id)
      .field("original_size", t.original_size)
      .field("compressed_size", t.compressed_size)
      .field("deduplicated_size", t.deduplicated_size)
      .field("started_at", t.started_at)
      .field("finished_at", t.finished_at)
      .field("duration_ms", t.duration_ms)
      .end_object();
}

void write_changes(util::JsonWriter& w, const changes::TargetSummary& t) {
  const auto& s = t.summary;
  w.begin_object()
      .field("target", t.target)
      .field("basis", s.basis)
      .field("previous_archive", s.previous_archive)
      .field("added_files", s.added_files)
      .field("added_bytes", s.added_bytes)
      .field("modified_files", s.modified_files)
      .field("modified_bytes", s.modified_bytes)
      .field("removed_files", s.removed_files)
      .field("removed_bytes", s.removed_bytes)
      .key("largest")
      .raw(changes::largest_json(s.largest))
      .end_object();
}

Result<changes::TargetSummary> read_changes(Element c) {
  changes::TargetSummary t;
  t.target = get_text(c, "target");
  auto& s = t.summary;
  s.basis = get_text(c, "basis");
  s.previous_archive = get_opt_text(c, "previous_archive");
  s.added_files = get_opt_int(c, "added_files").value_or(0);
  s.added_bytes = get_opt_int(c, "added_bytes").value_or(0);
  s.modified_files = get_opt_int(c, "modified_files").value_or(0);
  s.modified_bytes = get_opt_int(c, "modified_bytes").value_or(0);
  s.removed_files = get_opt_int(c, "removed_files").value_or(0);
  s.removed_bytes = get_opt_int(c, "removed_bytes").value_or(0);
  OM_TRY(largest, changes::parse_largest_json(simdjson::minify(c["largest"])));
  s.largest = std::move(largest);
  if (t.target.empty() || s.basis.empty())
    return fail("spooled record has changes without a target or basis");
  return t;
}

} // namespace

std::string record_to_json(const JobRecord& record) {
  util::JsonWriter w;
  w.begin_object().key("job");
  write_job(w, record.job);
  w.key("details");
  write_details(w, record.details);
  w.key("artifacts").begin_array();
  for (const auto& a : record.artifacts)
    write_artifact(w, a);
  w.end_array().key("targets").begin_array();
  for (const auto& t : record.targets)
    write_target(w, t);
  w.end_array().key("changes").begin_array();
  for (const auto& c : record.changes)
    write_changes(w, c);
  w.end_array().end_object();
  return w.str() + "\n";
}

Result<JobRecord> record_from_json(const std::string& json) {
  try {
    simdjson::dom::parser parser;
    Element root = parser.parse(json);
    JobRecord r;
    Element j = root["job"];
    auto kind = parse_kind(get_text(j, "kind"));
    auto status = parse_status(get_text(j, "status"));
    if (!kind || !status)
      return fail("spooled record has no valid job kind or status");
    r.job = Job{.id = get_text(j, "id"),
                .kind = *kind,
                .status = *status,
                .requested_by = get_text(j, "requested_by"),
                .started_at = get_opt_int(j, "started_at"),
                .finished_at = get_opt_int(j, "finished_at"),
                .duration_ms = get_opt_int(j, "duration_ms"),
                .error = get_opt_text(j, "error"),
                .created_at = get_opt_int(j, "created_at")};
    Element d = root["details"];
    r.details = RunDetails{.job_id = r.job.id,
                           .host = get_text(d, "host"),
                           .pid = get_opt_int(d, "pid"),
                           .origin = get_text(d, "origin"),
                           .log_path = get_opt_text(d, "log_path"),
                           .repository = get_opt_text(d, "repository"),
                           .archive_name = get_opt_text(d, "archive_name"),
                           .archive_id = get_opt_text(d, "archive_id")};
    for (Element a : root["artifacts"].get_array()) {
      r.artifacts.push_back(Artifact{.id = get_text(a, "id"),
                                     .job_id = r.job.id,
                                     .type = get_text(a, "type"),
                                     .file_path = get_text(a, "file_path"),
                                     .file_size = get_opt_int(a, "file_size").value_or(0),
                                     .sha256 = get_opt_text(a, "sha256"),
                                     .manifest_path = get_opt_text(a, "manifest_path")});
    }
    // Records spooled before targets existed have none.
    if (auto targets = root["targets"].get_array(); targets.error() == simdjson::SUCCESS) {
      for (Element t : targets.value()) {
        auto target_status = parse_status(get_text(t, "status"));
        if (!target_status)
          return fail("spooled record has a target without a valid status");
        r.targets.push_back(TargetResult{.target = get_text(t, "target"),
                                         .repository = get_text(t, "repository"),
                                         .status = *target_status,
                                         .error = get_opt_text(t, "error"),
                                         .archive_name = get_opt_text(t, "archive_name"),
                                         .archive_id = get_opt_text(t, "archive_id"),
                                         .original_size = get_opt_int(t, "original_size"),
                                         .compressed_size = get_opt_int(t, "compressed_size"),
                                         .deduplicated_size = get_opt_int(t, "deduplicated_size"),
                                         .started_at = get_opt_int(t, "started_at"),
                                         .finished_at = get_opt_int(t, "finished_at"),
                                         .duration_ms = get_opt_int(t, "duration_ms")});
      }
    }
    // Records spooled before changes were kept have none.
    if (auto changes = root["changes"].get_array(); changes.error() == simdjson::SUCCESS) {
      for (Element c : changes.value()) {
        OM_TRY(summary, read_changes(c));
        r.changes.push_back(std::move(summary));
      }
    }
    if (r.job.id.empty())
      return fail("spooled record has no job id");
    return r;
  } catch (const simdjson::simdjson_error& e) {
    return fail(std::string("spooled record is not valid JSON: ") + e.what());
  }
}

} // namespace om::jobs
