#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace om::legacy {

// Watches a mysqldump stream as it passes: counts the tables it creates and keeps its end, to
// tell a complete dump ("-- Dump completed" last) from a truncated one.
class DumpWatcher {
public:
  void feed(std::string_view chunk);
  [[nodiscard]] std::size_t tables() const { return m_tables; }
  [[nodiscard]] bool completed() const;

private:
  std::string m_tail; // the last bytes seen
  std::size_t m_tables = 0;
};

} // namespace om::legacy
