#pragma once

#include <future>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <om/changes/collector.hpp>
#include <om/run/borg_backup.hpp>

namespace om::run {

// What one target's backup changed since its previous archive (docs/run.md, "Progress and what
// changed"), found the cheapest way that is still right:
//   files — this host's file index describes that previous archive (same repository, same
//           sources and excludes): borg names only new and changed files (--list --filter
//           AMCE), and what is gone is found by a sweep of the index beside the backup, on
//           the other core;
//   diff  — it does not (the second backup of a target, an index lost): borg names every file
//           (--list), which makes the index, and `borg diff` against the previous archive
//           tells the changes, once;
//   first — there is no previous archive: the archive's own totals, all added (no --list).
// Recorded in backup_job_changes when the catalog is there; the index is kept either way.
class ChangeRecording {
public:
  explicit ChangeRecording(const BorgBackup& b);
  ChangeRecording(const ChangeRecording&) = delete;
  ChangeRecording& operator=(const ChangeRecording&) = delete;
  ~ChangeRecording();

  // What borg create is told to print for it, and who reads it.
  [[nodiscard]] const std::vector<std::string>& create_args() const { return m_create_args; }
  [[nodiscard]] changes::ChangeCollector* collector() {
    return m_create_args.empty() ? nullptr : &m_collector;
  }
  // After the target's archive was created, with borg's totals for it.
  void finish(const std::string& archive, std::int64_t nfiles, std::int64_t original_size);
  // What finish found (nullopt: the changes could not be told).
  [[nodiscard]] const std::optional<changes::Summary>& recorded() const { return m_recorded; }

private:
  struct Swept {
    std::optional<changes::FileIndex> index;
    std::unordered_set<std::string> gone;
  };
  [[nodiscard]] std::optional<changes::Summary>
  diff_with_previous(const std::string& archive, const changes::FileIndex& index) const;
  void record(const changes::Summary& summary);

  const BorgBackup& m_b;
  std::string m_basis;
  std::optional<std::string> m_previous;
  std::string m_index_path;
  std::string m_selection;
  std::vector<std::string> m_create_args;
  changes::ChangeCollector m_collector;
  std::future<Swept> m_sweep; // basis files: the previous index, and what of it is gone
  std::optional<changes::Summary> m_recorded;
};

} // namespace om::run
