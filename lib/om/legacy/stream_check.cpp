#include <om/legacy/stream_check.hpp>

#include <om/util/strings.hpp>

namespace om::legacy {
namespace {
constexpr std::string_view k_create = "\nCREATE TABLE ";
constexpr std::size_t k_keep = 256;
} // namespace

void DumpWatcher::feed(std::string_view chunk) {
  // Matches may straddle chunks: search the kept tail and the chunk together, counting only
  // matches that end inside the new chunk.
  std::string window = m_tail;
  auto old = window.size();
  window.append(chunk);
  for (auto pos = window.find(k_create); pos != std::string::npos;
       pos = window.find(k_create, pos + 1)) {
    if (pos + k_create.size() > old)
      ++m_tables;
  }
  m_tail = window.size() > k_keep ? window.substr(window.size() - k_keep) : window;
}

bool DumpWatcher::completed() const {
  auto text = util::trim(m_tail);
  auto last_line =
      text.substr(text.rfind('\n') == std::string_view::npos ? 0 : text.rfind('\n') + 1);
  return last_line.starts_with("-- Dump completed");
}

} // namespace om::legacy
