#include <om/changes/collector.hpp>

#include <sys/stat.h>

namespace om::changes {
namespace {

// borg's letters for a regular file's content: added, modified, unchanged, changed while read,
// read error, hard link to a file already stored.
bool is_regular_status(std::string_view status) {
  return status == "A" || status == "M" || status == "U" || status == "C" || status == "E" ||
         status == "h";
}

std::optional<FileState> look_at(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return std::nullopt;
  return FileState{static_cast<std::int64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                       st.st_mtim.tv_nsec};
}

// The path as the archive has it (and borg diff and report diff show it): without a leading /.
std::string archive_path(std::string_view path) {
  while (path.starts_with('/'))
    path.remove_prefix(1);
  return std::string(path);
}

} // namespace

ChangeCollector::ChangeCollector(std::optional<FileIndex> previous, std::string skip)
    : m_previous(std::move(previous)), m_skip(std::move(skip)) {
  if (m_previous)
    m_summary.basis = "files", m_summary.previous_archive = m_previous->archive;
}

void ChangeCollector::on_status(std::string_view status, std::string_view path) {
  if (!is_regular_status(status) || path == m_skip)
    return;
  std::string name(path);
  const FileState* before = nullptr;
  if (m_previous) {
    auto it = m_previous->files.find(name);
    if (it != m_previous->files.end())
      before = &it->second;
  }
  std::optional<FileState> now;
  if (status == "U" && before != nullptr)
    now = *before;
  else
    now = look_at(name);
  if (!now) // gone between borg reading it and us looking: borg has what it read
    now = before != nullptr ? *before : FileState{};
  if (m_previous) {
    if (before == nullptr)
      m_summary.add(Change{archive_path(name), "added", std::nullopt, now->size});
    else if (!(*before == *now))
      m_summary.add(Change{archive_path(name), "modified", before->size, now->size});
    if (before != nullptr)
      m_previous->files.erase(name);
  }
  m_next.files.insert_or_assign(std::move(name), *now);
}

ChangeCollector::Result ChangeCollector::finish(std::string repository, std::string archive) {
  Result out;
  out.unreadable = m_unreadable;
  if (m_unreadable > 0)
    return out;
  if (m_previous) {
    // What is left of the previous index was not in this backup.
    for (auto& [path, state] : m_previous->files)
      m_summary.add(Change{archive_path(path), "removed", state.size, std::nullopt});
    out.summary = std::move(m_summary);
  }
  m_next.repository = std::move(repository);
  m_next.archive = std::move(archive);
  out.index = std::move(m_next);
  return out;
}

} // namespace om::changes
