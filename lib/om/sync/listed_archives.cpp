#include <om/sync/listed_archives.hpp>

#include <algorithm>
#include <cstring>

namespace om::sync {

std::string_view ListedArchives::keep(std::string_view text) {
  if (k_block - m_used < text.size()) {
    // A fresh block; text longer than a block (never seen from borg) gets one of its own size.
    m_blocks.push_back(std::make_unique<char[]>(std::max(k_block, text.size())));
    m_used = 0;
  }
  char* at = m_blocks.back().get() + m_used;
  std::memcpy(at, text.data(), text.size());
  m_used = std::min(k_block, m_used + text.size());
  return {at, text.size()};
}

void ListedArchives::add(const borg::ArchiveRef& archive) {
  auto name = keep(archive.name);
  auto id = keep(archive.id);
  auto start = keep(archive.start);
  m_refs.push_back(Ref{name, id, start});
}

} // namespace om::sync
