#include <om/run/schedule.hpp>

#include <spdlog/spdlog.h>

#include <om/util/cron.hpp>

namespace om::run {
namespace {
std::string state_file(const config::Options& options) {
  return options.state_dir + "/last-scheduled-run";
}
} // namespace

Result<bool> is_due(const config::Options& options, std::int64_t now) {
  if (!options.enabled) {
    spdlog::info("scheduled backups are disabled (backup_settings.enabled)");
    return false;
  }
  OM_TRY(schedule, util::CronSchedule::parse(options.schedule));
  OM_TRY(due, util::due_since_mark(schedule, state_file(options), now));
  spdlog::info("schedule '{}': {}", options.schedule, due ? "due" : "not due");
  return due;
}

Result<void> mark_scheduled_run(const config::Options& options, std::int64_t now) {
  return util::set_mark(state_file(options), now);
}

} // namespace om::run
