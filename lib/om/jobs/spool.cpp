#include <om/jobs/spool.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include <om/jobs/record_json.hpp>
#include <om/util/files.hpp>

namespace om::jobs {

Result<std::string> spool_record(const std::string& state_dir, const JobRecord& record) {
  auto dir = state_dir + "/spool";
  OM_TRY_VOID(util::open_private_dir(state_dir, 0750));
  OM_TRY_VOID(util::open_private_dir(dir, 0700));
  auto path = dir + "/" + record.job.id + ".json";
  OM_TRY_VOID(util::write_file_atomic(path, record_to_json(record), 0600));
  return path;
}

Result<SpoolFlush> flush_spool(const std::string& state_dir, JobStore& store) {
  SpoolFlush result;
  auto dir = state_dir + "/spool";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return result;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json")
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto text = util::read_file(path);
    auto record = text ? record_from_json(*text) : std::unexpected(text.error());
    if (!record) {
      spdlog::warn("spool file {} is unreadable and was left in place: {}", path,
                   record.error().message);
      ++result.failed;
      continue;
    }
    OM_TRY_VOID(store.upsert(*record));
    if (::unlink(path.c_str()) != 0)
      return fail("removing written spool file " + path + ": " + std::strerror(errno));
    ++result.written;
  }
  return result;
}

} // namespace om::jobs
