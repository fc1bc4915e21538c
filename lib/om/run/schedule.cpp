#include <om/run/schedule.hpp>

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <om/util/cron.hpp>
#include <om/util/files.hpp>
#include <om/util/strings.hpp>

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
  auto due = schedule.previous(now, date::current_zone());
  if (!due)
    return false;
  std::int64_t last = 0;
  if (auto text = util::read_file(state_file(options)))
    last = util::parse_int(util::trim(*text)).value_or(0);
  spdlog::info("schedule '{}': last due {}, last scheduled run {}", options.schedule, *due, last);
  return *due > last;
}

Result<void> mark_scheduled_run(const config::Options& options, std::int64_t now) {
  OM_TRY_VOID(util::make_dirs(options.state_dir, 0750));
  return util::write_file_atomic(state_file(options), std::to_string(now) + "\n", 0640);
}

} // namespace om::run
