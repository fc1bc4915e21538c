#include <om/jobs/integrity.hpp>

#include <om/db/value.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::jobs {
namespace {

constexpr const char* k_columns =
    "id, kind, target, archive_name, job_id, detail, UNIX_TIMESTAMP(first_seen_at)";

IntegrityEvent event_of(const db::Row& r) {
  return IntegrityEvent{.id = r.integer(0),
                        .kind =
                            r.text_view(1) == "anomaly" ? EventKind::anomaly : EventKind::vanished,
                        .target = r.text(2),
                        .archive_name = r.text(3),
                        .job_id = r.opt_text(4),
                        .detail = r.text(5),
                        .first_seen_at = r.integer(6)};
}

} // namespace

const char* name_of(EventKind kind) {
  return kind == EventKind::anomaly ? "anomaly" : "vanished";
}

Result<std::optional<IntegrityEvent>> raise_event(db::Catalog& catalog, const IntegrityEvent& e) {
  OM_TRY(added,
         catalog.execute("INSERT IGNORE INTO backup_integrity_events (kind, target, archive_name, "
                         "job_id, detail, first_seen_at) VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(?))",
                         {std::string(name_of(e.kind)), db::fitted(e.target, db::varchar(64)),
                          db::fitted(e.archive_name, db::varchar(255)), db::nullable(e.job_id),
                          db::fitted(e.detail, db::k_text_column), util::now_unix()}));
  if (added == 0)
    return std::optional<IntegrityEvent>{};
  OM_TRY(row, catalog.query_one(std::string("SELECT ") + k_columns +
                                " FROM backup_integrity_events WHERE id = LAST_INSERT_ID()"));
  if (!row)
    return fail("the integrity event just recorded cannot be read back");
  return std::optional<IntegrityEvent>(event_of(*row));
}

Result<std::vector<IntegrityEvent>> open_events(db::Catalog& catalog,
                                                std::optional<EventKind> kind) {
  std::vector<db::Value> params;
  std::string where = "acknowledged_at IS NULL";
  if (kind) {
    where += " AND kind = ?";
    params.emplace_back(std::string(name_of(*kind)));
  }
  OM_TRY(rows, catalog.query(std::string("SELECT ") + k_columns +
                                 " FROM backup_integrity_events WHERE " + where + " ORDER BY id",
                             params));
  std::vector<IntegrityEvent> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back(event_of(r));
  return out;
}

Result<IntegrityEvent> acknowledge_event(db::Catalog& catalog, std::int64_t id,
                                         const std::string& by, const std::string& why) {
  OM_TRY(row, catalog.query_one(std::string("SELECT ") + k_columns +
                                    ", acknowledged_by, acknowledged_at FROM "
                                    "backup_integrity_events WHERE id = ?",
                                {id}));
  if (!row)
    return fail(ExitStatus::usage, "no integrity event " + std::to_string(id) +
                                       " (om-backup-report check names the open ones)");
  if (!row->is_null(8))
    return fail(ExitStatus::usage, "integrity event " + std::to_string(id) +
                                       " was acknowledged already, by " + row->text(7) + " at " +
                                       row->text(8));
  OM_TRY_VOID(
      catalog.execute("UPDATE backup_integrity_events SET acknowledged_by = ?, "
                      "acknowledged_at = CURRENT_TIMESTAMP, acknowledged_why = ? WHERE "
                      "id = ? AND acknowledged_at IS NULL",
                      {db::fitted(by, db::varchar(255)), db::fitted(why, db::k_text_column), id}));
  return event_of(*row);
}

std::string describe(const IntegrityEvent& e) {
  std::string out = "event " + std::to_string(e.id) + ": ";
  if (e.kind == EventKind::vanished)
    out += "archive " + e.archive_name + " vanished from target " + e.target;
  else
    out += "backup " + e.archive_name + " to target " + e.target + " changed far more than usual";
  if (!e.detail.empty())
    out += " (" + e.detail + ")";
  return out;
}

} // namespace om::jobs
