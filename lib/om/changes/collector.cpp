#include <om/changes/collector.hpp>

#include <sys/stat.h>

namespace om::changes {
namespace {

// borg's letters for a regular file: added, modified, unchanged, changed while read, read
// error, hard link to a file already stored.
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

} // namespace

std::string archive_path(std::string_view path) {
  while (path.starts_with('/'))
    path.remove_prefix(1);
  return std::string(path);
}

void ChangeCollector::on_status(std::string_view status, std::string_view path) {
  if (!is_regular_status(status) || path == m_skip)
    return;
  std::string name(path);
  // Gone between borg reading it and us looking: borg has it, its size is unknown here.
  auto state = look_at(name).value_or(FileState{});
  m_reported.push_back({std::move(name), state});
}

std::unordered_set<std::string> gone_files(const FileIndex& index) {
  std::unordered_set<std::string> gone;
  for (const auto& [path, state] : index.files) {
    if (!look_at(path))
      gone.insert(path);
  }
  return gone;
}

Summary compare_with_index(FileIndex& previous,
                           const std::vector<ChangeCollector::Reported>& reported,
                           const std::unordered_set<std::string>& gone) {
  Summary summary;
  summary.basis = "files";
  summary.previous_archive = previous.archive;
  std::unordered_set<std::string> seen;
  for (const auto& r : reported) {
    seen.insert(r.path);
    auto it = previous.files.find(r.path);
    if (it == previous.files.end()) {
      summary.add(Change{archive_path(r.path), "added", std::nullopt, r.state.size});
      previous.files.emplace(r.path, r.state);
    } else if (!(it->second == r.state)) {
      summary.add(Change{archive_path(r.path), "modified", it->second.size, r.state.size});
      it->second = r.state;
    }
  }
  for (const auto& path : gone) {
    if (seen.contains(path))
      continue;
    auto it = previous.files.find(path);
    if (it == previous.files.end())
      continue;
    summary.add(Change{archive_path(path), "removed", it->second.size, std::nullopt});
    previous.files.erase(it);
  }
  return summary;
}

FileIndex index_of(const std::vector<ChangeCollector::Reported>& reported) {
  FileIndex index;
  index.files.reserve(reported.size());
  for (const auto& r : reported)
    index.files.insert_or_assign(r.path, r.state);
  return index;
}

} // namespace om::changes
