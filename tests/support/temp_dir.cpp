#include "support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace om::test {
namespace {
std::vector<std::string>& live_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}
} // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/om-test.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  m_path = tmpl;
  live_dirs().push_back(m_path);
}

void finish_temp_dirs(bool passed) {
  for (const auto& dir : live_dirs()) {
    if (passed) {
      std::error_code ec;
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
      std::filesystem::remove_all(dir, ec);
    } else {
      std::cerr << "test failed: its files are kept in " << dir << "\n";
    }
  }
  live_dirs().clear();
}

void write_text(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace om::test
