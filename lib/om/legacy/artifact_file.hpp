#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <om/util/error.hpp>
#include <om/util/fd.hpp>
#include <om/util/sha256.hpp>

namespace om::legacy {

// A backup file being written: a temporary name in its final folder (mode 0600), its SHA-256
// and size computed as the bytes pass (one pass, never a second read). Only publish() gives it
// its real name, after complete() has fsync'ed it; a file never published is removed, so no
// partial file is left. Files that belong together (a `both` job) are all completed before
// any is published, and a published one can be withdrawn again.
class ArtifactFile {
public:
  [[nodiscard]] static Result<ArtifactFile> create(const std::string& final_path);
  ArtifactFile(ArtifactFile&& other) noexcept;
  ArtifactFile& operator=(ArtifactFile&&) = delete;
  ArtifactFile(const ArtifactFile&) = delete;
  ~ArtifactFile();

  // Appends; the first error (a full disk) sticks: failed() says so at once, so the writer
  // can stop, and complete() returns it.
  void write(std::string_view data);
  [[nodiscard]] bool failed() const { return !m_error.empty(); }
  [[nodiscard]] const std::string& error() const { return m_error; }
  // Every byte on disk (fsync). Returns the SHA-256 (hex).
  [[nodiscard]] Result<std::string> complete();
  // The final name (rename, then fsync of the folder).
  [[nodiscard]] Result<void> publish();
  // Removes a published file again (its partner failed to publish).
  void withdraw();
  // complete() and publish().
  [[nodiscard]] Result<std::string> commit();

  [[nodiscard]] std::int64_t size() const { return m_size; }
  [[nodiscard]] const std::string& path() const { return m_final; }

private:
  ArtifactFile(util::Fd fd, std::string temp, std::string final_path);
  util::Fd m_fd;
  std::string m_temp;
  std::string m_final;
  std::unique_ptr<util::Sha256> m_hash;
  std::int64_t m_size = 0;
  std::string m_error;
  bool m_committed = false;
};

} // namespace om::legacy
