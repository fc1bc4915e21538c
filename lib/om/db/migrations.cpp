#include <om/db/migrations.hpp>

#include <algorithm>
#include <ranges>

#include <spdlog/spdlog.h>

#include <om/lock/catalog_locks.hpp>
#include <om/util/strings.hpp>

namespace om::db {
namespace {

constexpr std::string_view k_bookkeeping = R"(CREATE TABLE IF NOT EXISTS backup_schema_migrations (
  version INT PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
))";

std::string label(const Migration& m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03d", m.version);
  return std::string(buf) + "_" + m.name;
}

// Holds the migration lock for the scope, so two migrates never interleave.
class MigrateLock {
public:
  static Result<MigrateLock> take(Catalog& catalog) {
    OM_TRY(got, catalog.get_lock(lock::k_migrate_lock, 60));
    if (!got)
      return fail(ExitStatus::temp_fail, "another om-backup-migrate is running");
    return MigrateLock(catalog);
  }
  MigrateLock(MigrateLock&& o) noexcept : m_catalog(std::exchange(o.m_catalog, nullptr)) {}
  MigrateLock& operator=(MigrateLock&&) = delete;
  MigrateLock(const MigrateLock&) = delete;
  ~MigrateLock() {
    if (m_catalog != nullptr)
      (void)m_catalog->release_lock(lock::k_migrate_lock);
  }

private:
  explicit MigrateLock(Catalog& c) : m_catalog(&c) {}
  Catalog* m_catalog;
};

Result<std::vector<int>> applied_versions(Catalog& catalog) {
  OM_TRY_VOID(catalog.execute(k_bookkeeping));
  OM_TRY(rows, catalog.query("SELECT version FROM backup_schema_migrations ORDER BY version"));
  std::vector<int> out;
  for (const auto& r : rows)
    out.push_back(static_cast<int>(r.integer(0)));
  return out;
}

Result<void> run_script(Catalog& catalog, const MigrationScript& script, const std::string& what) {
  for (const auto& sql : script.statements) {
    auto r = catalog.execute(sql);
    if (!r)
      return std::unexpected(r.error().context("applying migration " + what));
  }
  return {};
}

} // namespace

int latest_schema_version() {
  auto all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

MigrationScript parse_migration_script(std::string_view text) {
  MigrationScript script;
  std::string current;
  for (auto raw : util::split(text, '\n')) {
    auto line = util::trim(raw);
    if (line.starts_with("-- om:guard ")) {
      auto body = line.substr(12);
      auto sep = body.find(" :: ");
      if (sep != std::string_view::npos)
        script.guards.push_back({std::string(util::trim(body.substr(0, sep))),
                                 std::string(util::trim(body.substr(sep + 4)))});
      continue;
    }
    if (line.empty() || line.starts_with("--"))
      continue;
    if (!current.empty())
      current += '\n';
    current += raw;
    if (line.ends_with(';')) {
      current = std::string(util::trim(current));
      current.pop_back();
      script.statements.push_back(std::move(current));
      current.clear();
    }
  }
  if (!util::trim(current).empty())
    script.statements.emplace_back(util::trim(current));
  return script;
}

Result<int> current_schema_version(Catalog& catalog) {
  OM_TRY(exists, catalog.query_one("SELECT COUNT(*) FROM information_schema.tables "
                                   "WHERE table_schema = DATABASE() "
                                   "AND table_name = 'backup_schema_migrations'"));
  if (!exists || exists->integer(0) == 0)
    return 0;
  OM_TRY(row, catalog.query_one("SELECT COALESCE(MAX(version), 0) FROM backup_schema_migrations"));
  return row ? static_cast<int>(row->integer(0)) : 0;
}

Result<std::vector<MigrationState>> migration_status(Catalog& catalog) {
  OM_TRY(lock, MigrateLock::take(catalog));
  OM_TRY_VOID(applied_versions(catalog));
  OM_TRY(rows, catalog.query("SELECT version, DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s') "
                             "FROM backup_schema_migrations"));
  std::vector<MigrationState> out;
  for (const auto& m : embedded_migrations()) {
    MigrationState s{m.version, m.name, std::nullopt};
    for (const auto& r : rows) {
      if (r.integer(0) == m.version)
        s.applied_at = r.text(1);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<int>> migrate_up(Catalog& catalog, int upto) {
  if (upto < 0 || upto > latest_schema_version())
    return fail(ExitStatus::usage,
                "--to must be between 0 and " + std::to_string(latest_schema_version()));
  OM_TRY(lock, MigrateLock::take(catalog));
  OM_TRY(applied, applied_versions(catalog));
  std::vector<int> done;
  for (const auto& m : embedded_migrations()) {
    if (m.version > upto || std::ranges::find(applied, m.version) != applied.end())
      continue;
    // DDL commits implicitly in MySQL, so each statement is written to be re-runnable: a
    // migration cut off halfway completes on the next run.
    spdlog::info("applying migration {}", label(m));
    OM_TRY_VOID(run_script(catalog, parse_migration_script(m.up_sql), label(m)));
    OM_TRY_VOID(
        catalog.execute("INSERT INTO backup_schema_migrations (version, name) VALUES (?, ?)",
                        {static_cast<std::int64_t>(m.version), std::string(m.name)}));
    done.push_back(m.version);
  }
  return done;
}

Result<std::vector<int>> migrate_down_to(Catalog& catalog, int target) {
  if (target < 0 || target > latest_schema_version())
    return fail(ExitStatus::usage,
                "--to must be between 0 and " + std::to_string(latest_schema_version()));
  OM_TRY(lock, MigrateLock::take(catalog));
  OM_TRY(applied, applied_versions(catalog));
  std::vector<const Migration*> steps; // newest first
  auto all = embedded_migrations();
  for (const auto& it : std::ranges::reverse_view(all)) {
    if (it.version > target && std::ranges::find(applied, it.version) != applied.end())
      steps.push_back(&it);
  }
  // Every guard of every step is checked before any step runs: a refused roll-back leaves
  // the schema exactly as it was, not half rolled back.
  for (const auto* m : steps) {
    for (const auto& guard : parse_migration_script(m->down_sql).guards) {
      OM_TRY(count, catalog.query_one(guard.count_sql));
      auto n = count ? count->integer(0) : 0;
      if (n > 0)
        return fail("refusing to roll back migration " + label(*m) + ": it would destroy " +
                    std::to_string(n) + " " + guard.what);
    }
  }
  std::vector<int> done;
  for (const auto* m : steps) {
    spdlog::info("rolling back migration {}", label(*m));
    OM_TRY_VOID(run_script(catalog, parse_migration_script(m->down_sql), label(*m) + " (down)"));
    OM_TRY_VOID(catalog.execute("DELETE FROM backup_schema_migrations WHERE version = ?",
                                {static_cast<std::int64_t>(m->version)}));
    done.push_back(m->version);
  }
  return done;
}

Result<void> require_current_schema(Catalog& catalog) {
  auto version = current_schema_version(catalog);
  if (!version)
    return std::unexpected(version.error().context("checking the catalog schema"));
  if (*version < latest_schema_version())
    return fail(ExitStatus::config, "the catalog schema is at version " + std::to_string(*version) +
                                        ", this om-backup needs " +
                                        std::to_string(latest_schema_version()) +
                                        ": run om-backup-migrate");
  return {};
}

} // namespace om::db
