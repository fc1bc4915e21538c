#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <om/util/error.hpp>

namespace om::util {

// Incremental SHA-256, fed as data streams past (one read pass, never a second one).
class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Lowercase hex digest; the object cannot be updated afterwards.
  [[nodiscard]] std::string hex_digest();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

[[nodiscard]] std::string sha256_hex(std::string_view data);
// Hashes a file by streaming it.
[[nodiscard]] Result<std::string> sha256_file(const std::string& path);

} // namespace om::util
