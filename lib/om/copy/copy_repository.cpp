#include <om/copy/copy_repository.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <system_error>

#include <date/date.h>
#include <spdlog/spdlog.h>

#include <om/util/time.hpp>

namespace om::copy {
namespace {

constexpr std::string_view k_replaced_suffix = "-replaced";
constexpr const char* k_stamp_format = "%Y-%m-%dT%H%M%SZ";

std::vector<std::string> without_locks() {
  return {"--exclude", "/lock.exclusive/**", "--exclude", "/lock.roster"};
}

// One rclone step; its failure is the copy's. The files it uploaded are added to `uploaded`
// (rclone's byte count also holds server-side moves into the backup dir, which cost nothing).
Result<Stats> step(const CopySettings& s, std::vector<std::string> args, const std::string& doing,
                   std::vector<std::string>& uploaded) {
  auto on_log = [&s, &doing, &uploaded](const LogLine& line) {
    if (line.stats && s.progress != nullptr)
      s.progress->fraction(doing, line.stats->bytes, line.stats->total_bytes);
    if (line.stats && s.job_progress != nullptr)
      s.job_progress->counts(line.stats->transfers, line.stats->bytes, 0, 0, doing);
    if (line.message.starts_with("Copied (") && !line.message.starts_with("Copied (server-side"))
      uploaded.push_back(line.object);
    // rclone's own errors go to the log; the copy's error line says what failed.
    if (line.level == "error" || line.level == "critical")
      spdlog::info("rclone: {}{}", line.object.empty() ? "" : line.object + ": ", line.message);
    else if (!line.stats && !line.message.empty())
      spdlog::debug("rclone: {}{}", line.object.empty() ? "" : line.object + ": ", line.message);
  };
  OM_TRY(run, s.rclone->run(std::move(args), on_log));
  if (s.progress != nullptr)
    s.progress->clear();
  if (!run.ok())
    return std::unexpected(run.error().context(doing));
  return run.stats;
}

// GCC 12 takes date::parse's own local 'S' (chrono.h) for maybe-uninitialized once inlined
// (GCC bug 105562): the warning is silenced for these two functions only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// The time a dated backup folder's name says, or nullopt when it is no such name.
std::optional<std::int64_t> folder_time(const std::string& name) {
  std::istringstream in(name);
  date::sys_seconds when{};
  in >> date::parse(k_stamp_format, when);
  if (in.fail())
    return std::nullopt;
  return when.time_since_epoch().count();
}

// Dated folders under the backup dir root older than keep_days go.
void purge_old_backup_dirs(const CopySettings& s, const std::string& root) {
  auto names = s.rclone->folders(root);
  if (!names) {
    spdlog::warn("{}", names.error().message);
    return;
  }
  const auto cutoff = s.now - static_cast<std::int64_t>(s.keep_days) * 86400;
  for (const auto& name : *names) {
    auto when = folder_time(name);
    if (!when || *when >= cutoff)
      continue;
    auto purged = s.rclone->run({"purge", root + "/" + name});
    if (!purged || !purged->ok())
      spdlog::warn("removing {}/{}: {}", root, name,
                   purged ? purged->error().message : purged.error().message);
    else
      spdlog::info("removed {}/{} (older than {} days)", root, name, s.keep_days);
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace

Result<std::string> backup_dir_root(const std::string& destination) {
  auto colon = destination.find(':');
  auto path = colon == std::string::npos ? destination : destination.substr(colon + 1);
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  if (path.empty())
    return fail(ExitStatus::config,
                "copy-to " + destination +
                    ": name a folder on the remote (REMOTE:PATH), so replaced files have a "
                    "place beside it");
  auto root = destination;
  while (root.ends_with('/'))
    root.pop_back();
  return root + std::string(k_replaced_suffix);
}

std::string backup_dir_for(const std::string& destination_root, std::int64_t now) {
  return destination_root + "/" +
         date::format(k_stamp_format, date::sys_seconds(std::chrono::seconds(now)));
}

Result<std::vector<RemoteFile>> local_files(const std::string& repo) {
  namespace fs = std::filesystem;
  std::vector<RemoteFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(repo, ec);
  if (ec)
    return fail("reading repository " + repo + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec))
      continue;
    auto relative = entry.path().lexically_relative(repo).generic_string();
    if (classify(relative).role == Role::lock)
      continue;
    auto size = entry.file_size(ec);
    if (ec)
      return fail("reading repository " + repo + ": " + relative + ": " + ec.message());
    files.push_back({relative, static_cast<std::int64_t>(size), false});
  }
  return files;
}

Result<CopyPlan> plan_destination(const CopySettings& s, const std::vector<RemoteFile>& source,
                                  const std::string& destination) {
  OM_TRY(existing, s.rclone->list(destination));
  return plan_copy(source, existing, s.max_delete_percent, s.force);
}

Result<CopyResult> copy_repository(const CopySettings& s, const std::string& repo,
                                   const std::string& destination) {
  OM_TRY(root, backup_dir_root(destination));
  CopyResult result;
  OM_TRY(source, local_files(repo));
  OM_TRY(plan, plan_destination(s, source, destination));
  result.plan = plan;
  if (plan.refusal)
    return fail("copy to " + destination + " stopped before changing anything: " + *plan.refusal);
  if (s.force && (plan.deleted_segments > 0 || plan.replaced_segments > 0))
    spdlog::warn("--force: {} deleted and {} replaced segments at {} go to {}",
                 plan.deleted_segments, plan.replaced_segments, destination, root);
  spdlog::info("copying {} to {}: {} new segments ({} bytes), {} files to remove", repo,
               destination, plan.new_segments, plan.new_bytes, plan.deleted_files);
  result.backup_dir = backup_dir_for(root, s.now);
  const std::vector<std::string> keep{"--backup-dir", result.backup_dir};

  // 1. New segments: nothing refers to them until an index does.
  std::vector<std::string> segments{"copy", repo, destination, "--include", "/data/**"};
  segments.insert(segments.end(), keep.begin(), keep.end());
  std::vector<std::string> uploaded;
  OM_TRY(first, step(s, segments, "copying segments to " + destination, uploaded));
  result.stats += first;
  // 2. The index, hints and the rest; then what is gone, last (rclone deletes only after
  // every transfer succeeded).
  std::vector<std::string> rest{"sync", repo, destination};
  auto locks = without_locks();
  rest.insert(rest.end(), locks.begin(), locks.end());
  rest.insert(rest.end(), keep.begin(), keep.end());
  OM_TRY(second, step(s, rest, "copying to " + destination, uploaded));
  result.stats += second;
  std::map<std::string_view, std::int64_t> sizes;
  for (const auto& f : source)
    sizes.emplace(f.path, f.size);
  for (const auto& path : uploaded) {
    ++result.uploaded_files;
    if (auto it = sizes.find(path); it != sizes.end())
      result.uploaded_bytes += it->second;
  }

  purge_old_backup_dirs(s, root);
  return result;
}

} // namespace om::copy
