#pragma once

#include <optional>
#include <string>

#include <om/changes/collector.hpp>
#include <om/run/borg_backup.hpp>

namespace om::run {

// What one target's backup changed since its previous archive (README "What changed"), found
// the cheapest way that is still right:
//   files — this host's file index describes that previous archive: borg's per-file status
//           of the create is compared with it, and only new and changed files are looked at;
//   diff  — it does not (first run of this version, another state folder, an index lost):
//           `borg diff` against the previous archive, once; the next backup has an index;
//   first — there is no previous archive: everything is added.
// Recorded in backup_job_changes when the catalog is there; the index is kept either way.
class ChangeRecording {
public:
  explicit ChangeRecording(const BorgBackup& b);

  [[nodiscard]] changes::ChangeCollector& collector() { return m_collector; }
  // After the target's archive `archive` was created: the summary recorded, the index kept.
  void finish(const std::string& archive);

private:
  [[nodiscard]] std::optional<changes::Summary>
  diff_with_previous(const std::string& archive, const changes::FileIndex& index) const;

  const BorgBackup& m_b;
  std::string m_basis;
  std::optional<std::string> m_previous;
  std::string m_index_path;
  changes::ChangeCollector m_collector;
};

} // namespace om::run
