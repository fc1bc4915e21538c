#include <om/restore/fetch.hpp>

#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include <om/borg/commands.hpp>
#include <om/borg/target_client.hpp>
#include <om/copy/copy_repository.hpp>
#include <om/copy/plan.hpp>
#include <om/copy/rclone.hpp>
#include <om/log/progress_line.hpp>
#include <om/restore/extract.hpp>
#include <om/util/files.hpp>

namespace om::restore {
namespace {

namespace fs = std::filesystem;

// The repository's folder, with borg's own folders for it.
Result<void> prepare_repository_folder(const std::string& dir, bool force) {
  OM_TRY_VOID(prepare_folder(dir, force, "fetch: ", "fetch"));
  OM_TRY_VOID(util::make_dirs(dir + "/" + borg::k_fetched_state_dir + "/security", 0700));
  OM_TRY_VOID(util::make_dirs(dir + "/" + borg::k_fetched_state_dir + "/cache", 0700));
  return {};
}

Result<void> download(const config::Options& options, const std::string& from,
                      const std::string& dir, bool progress) {
  const copy::Rclone rclone(options.rclone_command, options.rclone_config);
  log::ProgressLine line(progress);
  auto on_log = [&line, &from](const copy::LogLine& l) {
    if (l.stats)
      line.fraction("fetching " + from, l.stats->bytes, l.stats->total_bytes);
  };
  OM_TRY(run, rclone.run({"copy", from, dir, "--exclude", "/lock.exclusive/**", "--exclude",
                          "/lock.roster", "--exclude", "/.om-backup/**"},
                         on_log));
  line.clear();
  if (!run.ok())
    return std::unexpected(run.error().context("fetching " + from));
  spdlog::info("fetched {} to {}: {} files, {} bytes", from, dir, run.stats.transfers,
               run.stats.bytes);
  return {};
}

// Moves what settle() set aside under DIR/.om-backup/set-aside, keeping its path. Every copy
// has a few such segments: borg with-lock writes (and commits only when it ends) a refresh of
// the repository's manifest while the copy runs; an interrupted copy leaves more.
Result<void> set_aside(const std::string& dir, const std::vector<std::string>& paths,
                       std::int64_t transaction) {
  const fs::path aside = fs::path(dir) / borg::k_fetched_state_dir / "set-aside";
  for (const auto& p : paths) {
    const fs::path to = aside / p;
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (!ec)
      fs::rename(fs::path(dir) / p, to, ec);
    if (ec)
      return fail("fetch: setting " + p + " aside: " + ec.message());
    spdlog::debug("fetch: {} set aside", p);
  }
  if (!paths.empty())
    spdlog::info("fetch: {} files written after transaction {} set aside in {}", paths.size(),
                 transaction, aside.string());
  return {};
}

Result<void> check(const config::Options& options, const std::string& dir) {
  config::Target target = config::local_target(options, dir);
  OM_TRY(client, borg::client_for(target, options.borg_command, std::chrono::hours(24)));
  OM_TRY(inv, client.run(borg::cmd::check_repository(dir)));
  if (!inv.ok())
    return std::unexpected(inv.error());
  return {};
}

} // namespace

Result<std::string> fetch_copy(const config::Options& options, const std::string& from,
                               const std::string& to_dir, bool force, bool progress) {
  const auto dir = fs::absolute(to_dir).lexically_normal().string();
  OM_TRY_VOID(prepare_repository_folder(dir, force));
  OM_TRY_VOID(download(options, from, dir, progress));
  OM_TRY(files, copy::local_files(dir));
  const auto candidates = copy::transactions(files);
  if (candidates.empty())
    return fail("fetch: " + from + " holds no borg repository (no index.N with its hints.N)");
  OM_TRY_VOID(util::write_file_atomic(dir + "/" + borg::k_fetched_state_dir + "/fetched",
                                      from + "\n", 0600));
  std::optional<Error> last;
  for (auto transaction : candidates) {
    OM_TRY(now, copy::local_files(dir));
    OM_TRY_VOID(set_aside(dir, copy::settle(now, transaction).set_aside, transaction));
    auto checked = check(options, dir);
    if (checked) {
      spdlog::info("fetch: {} checks (borg check --repository-only), transaction {}", dir,
                   transaction);
      return dir;
    }
    spdlog::warn("fetch: transaction {} does not check ({}){}", transaction,
                 checked.error().message,
                 transaction == candidates.back() ? "" : "; trying the one before");
    last = checked.error();
  }
  return std::unexpected(last->context("fetch: no transaction of " + from + " checks"));
}

} // namespace om::restore
