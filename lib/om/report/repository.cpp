#include <om/report/repository.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <ranges>

#include <spdlog/spdlog.h>

#include <om/borg/client.hpp>
#include <om/borg/commands.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/target_client.hpp>
#include <om/util/time.hpp>

namespace om::report {
namespace {

// A local repository path that does not exist: nothing to ask borg.
bool surely_absent(const std::string& repo) {
  if (repo.empty())
    return true;
  if (repo.find("://") != std::string::npos || repo.find(':') != std::string::npos)
    return false; // remote (ssh://host/path or host:path)
  std::error_code ec;
  return !std::filesystem::exists(repo, ec);
}

// The catalog's job of each archive id: id, status, requested_by. Asked in slices, so a
// repository of years of archives is a few queries, not one per archive.
struct MadeBy {
  std::string job_id;
  std::string status;
  std::string requested_by;
};
Result<std::map<std::string, MadeBy>> jobs_of(db::Catalog& catalog,
                                              const std::vector<borg::ArchiveRef>& archives) {
  std::map<std::string, MadeBy> out;
  constexpr std::size_t k_slice = 500;
  for (std::size_t at = 0; at < archives.size(); at += k_slice) {
    std::string marks;
    std::vector<db::Value> ids;
    for (std::size_t i = at; i < std::min(archives.size(), at + k_slice); ++i) {
      marks += marks.empty() ? "?" : ", ?";
      ids.emplace_back(archives[i].id);
    }
    OM_TRY(rows, catalog.query("SELECT a.sha256, j.id, j.status, j.requested_by FROM "
                               "backup_artifacts a JOIN backup_jobs j ON j.id = a.job_id WHERE "
                               "a.artifact_type = 'borg' AND a.sha256 IN (" +
                                   marks + ")",
                               ids));
    for (const auto& r : rows)
      out[r.text(0)] = MadeBy{r.text(1), r.text(2), r.opt_text(3).value_or("")};
  }
  return out;
}

} // namespace

std::optional<borg::RepositoryStats> repository_totals(const config::Options& options,
                                                       const config::Target& target) {
  if (surely_absent(target.repo))
    return std::nullopt;
  auto totals = [&]() -> Result<borg::RepositoryStats> {
    OM_TRY(client, borg::client_for(target, options.borg_command, std::chrono::minutes(1)));
    OM_TRY_VOID(borg::require_passphrase(client.passphrase()));
    OM_TRY(info, client.run(borg::cmd::info(target.repo)));
    if (!info.ok())
      return std::unexpected(info.error());
    return borg::parse_repository_info(info.outcome.stdout_text);
  }();
  if (!totals) {
    spdlog::info("target {}: repository totals left out: {}", target.name, totals.error().message);
    return std::nullopt;
  }
  return *totals;
}

util::Table repository_table(const borg::RepositoryStats& s) {
  return util::Table{{"location", "encryption", "original_size", "compressed_size",
                      "deduplicated_size", "unique_chunks", "total_chunks"},
                     {{s.repository.location, s.encryption, s.total_size, s.total_csize,
                       s.unique_csize, s.unique_chunks, s.total_chunks}}};
}

namespace {

// One target's archives, newest first, appended to the report.
Result<void> add_target_archives(db::Catalog& catalog, const config::Options& options,
                                 const config::Target& target, ArchivesReport& report) {
  OM_TRY(listing, borg::list_target(target, options.borg_command, std::chrono::minutes(10)));
  OM_TRY(made_by, jobs_of(catalog, listing.archives));
  OM_TRY(utc, util::find_zone("UTC")); // our borg runs with TZ=UTC
  for (auto& archive : std::ranges::reverse_view(listing.archives)) {
    auto start = util::parse_local_time(archive.start, utc);
    util::Cell when = start ? util::Cell(util::Instant{*start}) : util::Cell(archive.start);
    auto job = made_by.find(archive.id);
    if (job == made_by.end()) {
      if (!archive.is_checkpoint())
        ++report.unknown;
      report.archives.rows.push_back({target.name, archive.name, archive.id, when, std::monostate{},
                                      std::monostate{}, std::monostate{}});
    } else {
      report.archives.rows.push_back({target.name, archive.name, archive.id, when,
                                      job->second.job_id, job->second.status,
                                      job->second.requested_by});
    }
  }
  return {};
}

} // namespace

Result<ArchivesReport> list_archives(db::Catalog& catalog, const config::Options& options) {
  OM_TRY(targets, config::resolve_targets(options));
  if (targets.empty())
    return fail(ExitStatus::config,
                "no repository: give --repo or set backup_settings.borg_repo_path");
  ArchivesReport report;
  report.archives.columns = {"target", "name", "id", "start", "job_id", "status", "requested_by"};
  OM_TRY(unreachable, borg::for_each_target(targets, [&](const config::Target& target) {
           return add_target_archives(catalog, options, target, report);
         }));
  report.unreachable = std::move(unreachable);
  return report;
}

std::vector<std::future<std::optional<borg::RepositoryStats>>>
ask_repository_totals(const config::Options& options, const std::vector<config::Target>& targets) {
  std::vector<std::future<std::optional<borg::RepositoryStats>>> sizes;
  sizes.reserve(targets.size());
  for (const auto& t : targets)
    sizes.push_back(
        std::async(std::launch::async, [&options, &t] { return repository_totals(options, t); }));
  return sizes;
}

} // namespace om::report
