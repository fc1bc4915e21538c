#include <om/config/settings.hpp>

#include <array>

namespace om::config {

Result<SettingsRow> load_settings(db::Catalog& catalog) {
  static constexpr std::array<const char*, 15> k_columns{"enabled",
                                                         "schedule",
                                                         "keep_hourly",
                                                         "keep_daily",
                                                         "keep_weekly",
                                                         "keep_monthly",
                                                         "compression_level",
                                                         "borg_repo_path",
                                                         "include_database",
                                                         "include_files",
                                                         "include_uploads",
                                                         "email_notifications",
                                                         "notification_email",
                                                         "verify_after_backup",
                                                         "id"};
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < k_columns.size(); ++i)
    sql.append(i > 0 ? ", " : "").append(k_columns[i]);
  sql += " FROM backup_settings ORDER BY id DESC LIMIT 1";
  auto row = catalog.query_one(sql);
  if (!row)
    return std::unexpected(row.error().context("reading backup_settings"));
  SettingsRow out;
  if (!*row)
    return out;
  for (std::size_t i = 0; i < k_columns.size(); ++i)
    out[k_columns[i]] = (*row)->cells[i];
  return out;
}

} // namespace om::config
