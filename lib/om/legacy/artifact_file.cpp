#include <om/legacy/artifact_file.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <om/util/fd.hpp>
#include <om/util/files.hpp>

namespace om::legacy {

Result<ArtifactFile> ArtifactFile::create(const std::string& final_path) {
  std::string temp = final_path + ".partial-XXXXXX";
  util::Fd fd(::mkostemp(temp.data(), O_CLOEXEC)); // mode 0600: backups hold data and secrets
  if (!fd)
    return fail("creating " + temp + ": " + std::strerror(errno));
  return ArtifactFile(std::move(fd), temp, final_path);
}

ArtifactFile::ArtifactFile(util::Fd fd, std::string temp, std::string final_path)
    : m_fd(std::move(fd)), m_temp(std::move(temp)), m_final(std::move(final_path)),
      m_hash(std::make_unique<util::Sha256>()) {}

ArtifactFile::ArtifactFile(ArtifactFile&& other) noexcept
    : m_fd(std::move(other.m_fd)), m_temp(std::move(other.m_temp)),
      m_final(std::move(other.m_final)), m_hash(std::move(other.m_hash)), m_size(other.m_size),
      m_error(std::move(other.m_error)), m_committed(std::exchange(other.m_committed, true)) {}

ArtifactFile::~ArtifactFile() {
  if (!m_committed && !m_temp.empty())
    ::unlink(m_temp.c_str());
}

void ArtifactFile::write(std::string_view data) {
  if (!m_error.empty())
    return;
  m_hash->update(data);
  m_size += static_cast<std::int64_t>(data.size());
  if (!util::write_all(m_fd.get(), data))
    m_error = "writing " + m_final + ": " + std::strerror(errno);
}

Result<std::string> ArtifactFile::complete() {
  if (!m_error.empty())
    return fail(m_error);
  if (::fsync(m_fd.get()) != 0)
    return fail("writing " + m_final + ": " + std::strerror(errno));
  m_fd.reset();
  return m_hash->hex_digest();
}

Result<void> ArtifactFile::publish() {
  if (::rename(m_temp.c_str(), m_final.c_str()) != 0)
    return fail("renaming " + m_temp + ": " + std::strerror(errno));
  m_committed = true;
  return util::sync_dir(std::filesystem::path(m_final).parent_path().string());
}

void ArtifactFile::withdraw() {
  if (m_committed)
    ::unlink(m_final.c_str());
}

Result<std::string> ArtifactFile::commit() {
  OM_TRY(sha, complete());
  OM_TRY_VOID(publish());
  return sha;
}

} // namespace om::legacy
