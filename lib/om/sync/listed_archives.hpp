#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <om/borg/types.hpp>

namespace om::sync {

// The archives a repository lists, kept compact: years of hourly archives are 100,000 of
// them, and sync holds the whole listing while it reads their details. Each archive's name,
// 64-hex id and start time sit in large shared blocks rather than three strings apiece.
class ListedArchives {
public:
  struct Ref {
    std::string_view name;
    std::string_view id;
    std::string_view start;
    [[nodiscard]] bool is_checkpoint() const { return name.ends_with(".checkpoint"); }
  };

  void add(const borg::ArchiveRef& archive);
  [[nodiscard]] std::size_t size() const { return m_refs.size(); }
  [[nodiscard]] bool empty() const { return m_refs.empty(); }
  [[nodiscard]] const Ref& operator[](std::size_t i) const { return m_refs[i]; }
  [[nodiscard]] auto begin() const { return m_refs.begin(); }
  [[nodiscard]] auto end() const { return m_refs.end(); }

  borg::Repository repository;

private:
  [[nodiscard]] std::string_view keep(std::string_view text);

  static constexpr std::size_t k_block = 1 << 20;
  std::vector<std::unique_ptr<char[]>> m_blocks; // never moved: the views point into them
  std::size_t m_used = k_block;                  // bytes used of the last block
  std::vector<Ref> m_refs;
};

} // namespace om::sync
