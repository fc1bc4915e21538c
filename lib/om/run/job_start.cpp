#include <om/run/job_start.hpp>

#include <spdlog/spdlog.h>

#include <om/config/catalog.hpp>
#include <om/jobs/store.hpp>
#include <om/util/time.hpp>

namespace om::run {
namespace {

Result<void> lock_destination(db::Catalog& catalog, const std::string& lock_name,
                              const std::string& destination) {
  OM_TRY(got, catalog.get_lock(lock_name, 0));
  if (got)
    return {};
  auto who = jobs::JobStore(catalog).describe_running(destination);
  return fail(ExitStatus::temp_fail,
              "another backup of " + destination +
                  " is running: " + (who && *who ? **who : "on another host sharing this catalog"));
}

} // namespace

Result<std::optional<db::Catalog>> connect_or_spool(config::Options& options) {
  auto catalog = config::open_catalog_with_settings(options);
  if (catalog)
    return std::optional<db::Catalog>(std::move(*catalog));
  if (catalog.error().status != ExitStatus::unavailable)
    return std::unexpected(catalog.error());
  spdlog::warn("{}; going on anyway, the record will be spooled", catalog.error().message);
  return std::optional<db::Catalog>{};
}

Result<std::optional<jobs::Job>> claim_queued(db::Catalog* catalog,
                                              const std::optional<std::string>& job_id) {
  if (!job_id)
    return std::optional<jobs::Job>{};
  if (catalog == nullptr)
    return fail(ExitStatus::unavailable,
                "cannot adopt job " + *job_id + ": the catalog is unreachable");
  OM_TRY(job, jobs::JobStore(*catalog).adopt(*job_id, util::now_unix()));
  return std::optional<jobs::Job>(std::move(job));
}

void cancel_adopted(db::Catalog* catalog, const std::optional<jobs::Job>& adopted,
                    const std::string& why) {
  if (catalog == nullptr || !adopted)
    return;
  auto cancelled = *adopted;
  cancelled.status = jobs::Status::cancelled;
  cancelled.error = why;
  cancelled.finished_at = util::now_unix();
  (void)jobs::JobStore(*catalog).finish(cancelled);
}

Result<void> lock_destinations(db::Catalog& catalog, const std::vector<std::string>& lock_names,
                               const std::vector<std::string>& places) {
  for (std::size_t i = 0; i < places.size(); ++i)
    OM_TRY_VOID(lock_destination(catalog, lock_names[i], places[i]));
  return {};
}

} // namespace om::run
