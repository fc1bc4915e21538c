#include <om/changes/change_store.hpp>

#include <simdjson.h>

namespace om::changes {

void write_change(util::JsonWriter& w, const Change& c) {
  w.begin_object()
      .field("path", c.path)
      .field("change", c.change)
      .field("size_before", c.size_before)
      .field("size_after", c.size_after)
      .end_object();
}

std::string largest_json(const std::vector<Change>& changes) {
  util::JsonWriter w;
  w.begin_array();
  for (const auto& c : changes)
    write_change(w, c);
  w.end_array();
  return w.str();
}

Result<std::vector<Change>> parse_largest_json(std::string_view json) {
  simdjson::dom::parser parser;
  std::vector<Change> out;
  try {
    for (simdjson::dom::object o : parser.parse(json.data(), json.size()).get_array()) {
      Change c;
      c.path = std::string(std::string_view(o["path"].get_string()));
      c.change = std::string(std::string_view(o["change"].get_string()));
      if (!o["size_before"].is_null())
        c.size_before = o["size_before"].get_int64();
      if (!o["size_after"].is_null())
        c.size_after = o["size_after"].get_int64();
      out.push_back(std::move(c));
    }
  } catch (const simdjson::simdjson_error& e) {
    return fail(std::string("backup_job_changes.largest_changes is not what we wrote: ") +
                e.what());
  }
  return out;
}

Result<void> save_summary(db::Catalog& catalog, const std::string& job_id,
                          const std::string& target, const Summary& s) {
  OM_TRY_VOID(catalog.execute(
      "REPLACE INTO backup_job_changes (job_id, target, previous_archive, basis, added_files, "
      "added_bytes, modified_files, modified_bytes, removed_files, removed_bytes, "
      "largest_changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {job_id, target, db::fitted(s.previous_archive, db::varchar(255)), s.basis, s.added_files,
       s.added_bytes, s.modified_files, s.modified_bytes, s.removed_files, s.removed_bytes,
       largest_json(s.largest)}));
  return {};
}

Result<std::vector<TargetSummary>> load_summaries(db::Catalog& catalog, const std::string& job_id) {
  OM_TRY(rows, catalog.query("SELECT target, previous_archive, basis, added_files, added_bytes, "
                             "modified_files, modified_bytes, removed_files, removed_bytes, "
                             "largest_changes FROM backup_job_changes WHERE job_id = ? "
                             "ORDER BY target",
                             {job_id}));
  std::vector<TargetSummary> out;
  for (const auto& row : rows) {
    TargetSummary t;
    t.target = row.text(0);
    auto& s = t.summary;
    s.previous_archive = row.opt_text(1);
    s.basis = row.text(2);
    s.added_files = row.integer(3);
    s.added_bytes = row.integer(4);
    s.modified_files = row.integer(5);
    s.modified_bytes = row.integer(6);
    s.removed_files = row.integer(7);
    s.removed_bytes = row.integer(8);
    OM_TRY(largest, parse_largest_json(row.text_view(9)));
    s.largest = std::move(largest);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::optional<std::string>> previous_archive(db::Catalog& catalog, const std::string& target,
                                                    const std::string& repository,
                                                    const std::string& host,
                                                    const std::string& job_id) {
  OM_TRY(row, catalog.query_one("SELECT t.archive_name FROM backup_job_targets t "
                                "JOIN backup_job_runs r ON r.job_id = t.job_id "
                                "WHERE t.target = ? AND t.repository = ? AND r.host = ? AND "
                                "t.status = 'success' AND t.archive_name IS NOT NULL AND "
                                "t.job_id <> ? ORDER BY t.finished_at DESC LIMIT 1",
                                {target, repository, host, job_id}));
  if (!row)
    return std::optional<std::string>{};
  return row->opt_text(0);
}

} // namespace om::changes
