#pragma once

#include <string>

namespace om::test {

// A fresh folder for one test, removed after the test if it passed, kept if it failed.
class TempDir {
public:
  TempDir();
  [[nodiscard]] const std::string& path() const { return m_path; }
  [[nodiscard]] std::string operator/(const std::string& name) const { return m_path + "/" + name; }

private:
  std::string m_path;
};

// Called by the test main at the end of each test case.
void finish_temp_dirs(bool passed);

// Writes a file (creating its folders); throws on failure.
void write_text(const std::string& path, const std::string& content);
[[nodiscard]] std::string read_text(const std::string& path);

} // namespace om::test
