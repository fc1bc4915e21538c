#include <om/check/target_check.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <om/borg/commands.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/target_client.hpp>
#include <om/check/rotation.hpp>
#include <om/check/segment_log.hpp>
#include <om/sync/vanished.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::check {
namespace {

// A --verify-data of a large repository takes hours: borg's own limit, not the budget's.
constexpr std::chrono::hours k_borg_timeout{48};

// The wall time one run spends on one target, against its budget.
class Budget {
public:
  explicit Budget(std::int64_t budget_s) : m_budget_s(budget_s) {}
  [[nodiscard]] bool unlimited() const { return m_budget_s <= 0; }
  [[nodiscard]] std::int64_t remaining_s() const {
    return m_budget_s - (util::monotonic_ms() - m_started_ms) / 1000;
  }
  [[nodiscard]] bool spent() const { return !unlimited() && remaining_s() <= 0; }
  // What borg's --max-duration may be: the rest, less what borg takes beyond it — to start
  // (ssh, the repository's index) and to finish the segment it is reading and stop — as the
  // previous run of this target showed (`overshoot_ms`), else a second and 5 % of the budget;
  // at least a second.
  [[nodiscard]] int segment_time_s(std::optional<std::int64_t> overshoot_ms) const {
    const auto guess = 1 + m_budget_s / 20;
    const auto learned = overshoot_ms ? (*overshoot_ms * 6 / 5 + 999) / 1000 : 0;
    return static_cast<int>(std::max<std::int64_t>(1, remaining_s() - std::max(guess, learned)));
  }

private:
  std::int64_t m_budget_s;
  std::int64_t m_started_ms = util::monotonic_ms();
};

// Damage, as borg names it: an object whose checksum or MAC is wrong, or one that is missing.
bool names_damage(const borg::LogLine& e) {
  return e.msgid == "IntegrityError" || e.msgid.ends_with("ObjectNotFound");
}

// How a borg command of a check ended. `check_command`: borg check, whose rc 1 is "errors
// found" (borg 1.2 and 1.4).
Outcome outcome_of(const borg::Invocation& inv, bool check_command) {
  if (inv.ok() || (!check_command && inv.warned()))
    return Outcome::success;
  if (inv.outcome.interrupted_by != 0)
    return Outcome::cancelled;
  if (check_command && inv.warned())
    return Outcome::corrupt;
  return std::ranges::any_of(inv.errors, names_damage) ? Outcome::corrupt : Outcome::failed;
}

// "segment … checksum mismatch [segment 5, offset 8] (+2 more)"
std::string first_of(const std::vector<std::string>& messages) {
  if (messages.empty())
    return "borg check found errors";
  auto out = util::first_line(messages.front());
  if (messages.size() > 1)
    out += " (+" + std::to_string(messages.size() - 1) + " more)";
  return out;
}

std::vector<std::string> error_messages(const borg::Invocation& inv) {
  std::vector<std::string> out;
  for (const auto& e : inv.errors) {
    if (!(e.message.starts_with("Finished ") || e.message.starts_with("Archive consistency")))
      out.push_back(e.message);
  }
  return out;
}

std::string damage_message(const TargetCheck& c, Level level, const std::string& what) {
  return "target " + c.target.name + ": " + std::string(name_of(level)) + " check of " +
         c.target.repo + " found damage: " + what + " (nothing was repaired)";
}

struct Row {
  CheckRow row;
  std::int64_t started_ms = util::monotonic_ms();

  Row(const TargetCheck& c, Level level)
      : row{.run_id = c.run_id,
            .host = c.host,
            .target = c.target.name,
            .repository = c.target.repo,
            .level = level,
            .started_at = util::now_unix()} {}

  // How a borg check command ended, into the row; `damage`: what borg reported as it ran, when
  // its log was read as it came. True when the level read something (sound or damaged).
  bool judge(const TargetCheck& c, const Result<borg::Invocation>& inv,
             const std::vector<std::string>& damage = {}) {
    if (!inv) {
      row.outcome = Outcome::failed;
      row.error = inv.error().message;
      return false;
    }
    row.outcome = outcome_of(*inv, true);
    if (row.outcome == Outcome::success && !damage.empty())
      row.outcome = Outcome::corrupt;
    if (row.outcome == Outcome::corrupt)
      row.error =
          damage_message(c, row.level, first_of(damage.empty() ? error_messages(*inv) : damage));
    else if (row.outcome != Outcome::success)
      row.error = inv->error().message;
    return row.outcome == Outcome::success || row.outcome == Outcome::corrupt;
  }

  CheckRow finish() {
    row.finished_at = util::now_unix();
    row.duration_ms = util::monotonic_ms() - started_ms;
    return std::move(row);
  }
};

// The bytes of a local repository's segment files numbered first..last: what the repository
// check read. nullopt for an ssh:// repository (its server read them; nothing crossed).
std::optional<std::int64_t> segment_bytes(const config::Target& t, std::int64_t first,
                                          std::int64_t last) {
  if (t.is_remote())
    return std::nullopt;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::int64_t total = 0;
  for (fs::recursive_directory_iterator it(fs::path(t.repo) / "data", ec), end; !ec && it != end;
       it.increment(ec)) {
    auto n = util::parse_int(it->path().filename().string());
    if (n && *n >= first && *n <= last && it->is_regular_file(ec))
      total += static_cast<std::int64_t>(it->file_size(ec));
  }
  return total;
}

// A level that reads everything in each run: each run is a cycle of its own, begun after the
// previous one ended.
std::int64_t new_cycle_start(const TargetCheck& c, Level level, std::int64_t started_at) {
  auto state = cycle_state(c.catalog, c.target.name, level);
  return state ? state->new_cycle_start(started_at) : started_at;
}

CheckRow check_segments(const TargetCheck& c, const borg::Client& client, const Budget& budget) {
  Row r(c, Level::repository);
  auto state = cycle_state(c.catalog, c.target.name, Level::repository);
  const int max_duration =
      budget.unlimited() ? 0 : budget.segment_time_s(state ? state->overshoot_ms : std::nullopt);
  if (max_duration > 0)
    r.row.time_limit_s = max_duration;
  SegmentCoverage coverage;
  auto inv = client.run(borg::cmd::check_segments(c.target.repo, max_duration),
                        [&](const borg::LogLine& line) { coverage.observe(line); });
  if (r.judge(c, inv, coverage.damage)) {
    const bool fresh = max_duration == 0 || coverage.first_segment.value_or(0) == 0 || !state ||
                       !state->cycle_started_at;
    r.row.cycle_started_at =
        fresh ? (state ? state->new_cycle_start(r.row.started_at) : r.row.started_at)
              : *state->cycle_started_at;
    r.row.cycle_share = coverage.cycle_share();
    r.row.cycle_complete = coverage.cycle_complete;
    r.row.covered = coverage.describe();
    if (coverage.last_segment)
      r.row.bytes_read =
          segment_bytes(c.target, coverage.first_segment.value_or(0), *coverage.last_segment);
  }
  return r.finish();
}

CheckRow check_archives(const TargetCheck& c, const borg::Client& client) {
  Row r(c, Level::archives);
  std::int64_t analyzed = 0;
  auto inv = client.run(borg::cmd::check_archive_metadata(c.target.repo, c.limits.last),
                        [&](const borg::LogLine& line) {
                          if (line.message.find("Analyzing archive ") != std::string::npos)
                            ++analyzed;
                        });
  if (r.judge(c, inv)) {
    r.row.covered =
        "metadata of " + std::to_string(analyzed) + " archives" +
        (c.limits.last > 0 ? " (the newest " + std::to_string(c.limits.last) + ")" : std::string());
    // Every run reads every archive's metadata: each is a whole cycle (but --last N).
    r.row.cycle_complete = c.limits.last == 0;
    r.row.cycle_share = 1.0;
    r.row.cycle_started_at = new_cycle_start(c, Level::archives, r.row.started_at);
  }
  return r.finish();
}

// The local repository: every chunk of every archive read and decrypted, when due.
std::optional<CheckRow> verify_local_data(const TargetCheck& c, const borg::Client& client) {
  auto state = cycle_state(c.catalog, c.target.name, Level::data);
  const auto now = util::now_unix();
  if (state && state->last_success_at && !c.data_forced &&
      now - *state->last_success_at < c.limits.data_every_s) {
    spdlog::info(
        "target {}: data verified {}; next --verify-data after check-data-every", c.target.name,
        util::format_time(*state->last_success_at, date::current_zone(), "%Y-%m-%d %H:%M"));
    return std::nullopt;
  }
  Row r(c, Level::data);
  auto inv = client.run(borg::cmd::check_verify_data(c.target.repo));
  if (r.judge(c, inv)) {
    r.row.covered = "every chunk of every archive (--verify-data)";
    r.row.cycle_complete = true;
    r.row.cycle_share = 1.0;
    r.row.cycle_started_at = state ? state->new_cycle_start(r.row.started_at) : r.row.started_at;
    r.row.bytes_read = segment_bytes(c.target, 0, std::numeric_limits<std::int64_t>::max());
  }
  return r.finish();
}

// What reading an archive moves: its compressed size as om-backup-run recorded it, else as
// borg info says.
std::int64_t archive_bytes(const borg::Client& client, const std::string& location,
                           const std::map<std::string, std::int64_t>& recorded,
                           const std::string& name) {
  if (auto it = recorded.find(name); it != recorded.end())
    return it->second;
  auto inv = client.run(borg::cmd::info_archive(location));
  if (inv && inv->ok()) {
    if (auto info = borg::parse_info(inv->outcome.stdout_text); info && !info->archives.empty())
      return info->archives.front().stats.compressed_size;
  }
  return 0;
}

// An offsite target: the least recently read archives that fit the byte budget, each read
// whole by borg extract --dry-run (every chunk fetched, decrypted, its MAC checked).
Result<CheckRow> rotate_offsite_data(const TargetCheck& c, const borg::Client& client,
                                     const Budget& budget, const borg::Listing& listing) {
  Row r(c, Level::data);
  OM_TRY(verified, verified_archives(c.catalog, c.target.name));
  OM_TRY(sizes, recorded_archive_sizes(c.catalog, c.target.name));
  OM_TRY(state, cycle_state(c.catalog, c.target.name, Level::data));
  std::vector<RotationArchive> archives;
  for (const auto& a : listing.archives) {
    if (a.is_checkpoint())
      continue;
    auto seen = verified.find(a.name);
    archives.push_back({.name = a.name,
                        .id = a.id,
                        .start = a.start,
                        .verified_at = seen == verified.end()
                                           ? std::nullopt
                                           : std::optional<std::int64_t>(seen->second)});
  }
  auto cycle_start = state.cycle_started_at.value_or(state.new_cycle_start(r.row.started_at));
  if (std::ranges::all_of(archives, [&](const auto& a) { return a.read_since(cycle_start); }))
    cycle_start = state.new_cycle_start(r.row.started_at); // the cycle under way is complete
  auto picked = pick_for_rotation(
      archives, cycle_start, c.limits.bytes_per_run, [&](const RotationArchive& a) {
        return archive_bytes(client, borg::cmd::location(c.target.repo, a.name), sizes, a.name);
      });
  std::vector<std::string> read;
  std::int64_t bytes = 0;
  for (const auto& a : picked) {
    if (!read.empty() && budget.spent())
      break;
    auto inv = client.run(borg::cmd::extract_dry_run(borg::cmd::location(c.target.repo, a.name)));
    const auto outcome = inv ? outcome_of(*inv, false) : Outcome::failed;
    if (outcome != Outcome::success) {
      r.row.outcome = outcome;
      const auto what = inv ? first_of(error_messages(*inv)) : inv.error().message;
      r.row.error = outcome == Outcome::corrupt
                        ? damage_message(c, Level::data, "archive " + a.name + ": " + what)
                        : "target " + c.target.name + ": reading archive " + a.name + ": " + what;
      break;
    }
    const auto at = std::max(util::now_unix(), cycle_start);
    OM_TRY_VOID(mark_verified(c.catalog, c.target.name, a.name, a.id, at));
    for (auto& each : archives) {
      if (each.name == a.name)
        each.verified_at = at;
    }
    read.push_back(a.name);
    bytes += a.bytes;
  }
  r.row.covered =
      read.empty() ? std::string("no archive read") : "archives " + util::join(read, ", ");
  r.row.bytes_read = bytes;
  r.row.cycle_started_at = cycle_start;
  r.row.cycle_share = rotation_share(archives, cycle_start);
  r.row.cycle_complete = r.row.outcome == Outcome::success && *r.row.cycle_share >= 1.0;
  r.row.covered += " (" + std::to_string(static_cast<int>(std::lround(*r.row.cycle_share * 100))) +
                   "% of " + std::to_string(archives.size()) + " archives read this cycle)";
  return r.finish();
}

// The target's archives against the catalog's: those gone that neither om-backup's prune nor
// the retention explains are raised as integrity events (their artifact rows stay).
Result<std::vector<jobs::IntegrityEvent>>
find_vanished(const TargetCheck& c, const borg::Listing& listing, std::int64_t listed_at) {
  sync::ListedArchives archives;
  for (const auto& a : listing.archives)
    archives.add(a);
  OM_TRY(gone, sync::gone_archives(c.catalog, c.target.repo, archives, listed_at));
  if (archives.empty() && !gone.empty())
    return fail("borg reports no archives in " + c.target.repo + " but the catalog records " +
                std::to_string(gone.size()) + ": run om-backup-sync to see what happened");
  OM_TRY(utc, util::find_zone("UTC"));
  OM_TRY(sorted, sync::sort_gone(c.catalog, std::move(gone), archives, c.retention, utc));
  return sync::raise_vanished(c.catalog, c.target.name, sorted.vanished);
}

} // namespace

Result<TargetFindings> check_target(const TargetCheck& c) {
  OM_TRY(client, borg::client_for(c.target, c.borg_command, k_borg_timeout));
  OM_TRY_VOID(borg::require_passphrase(client.passphrase()));
  const Budget budget(c.limits.budget_s);
  auto wants = [&](Level l) { return std::ranges::find(c.levels, l) != c.levels.end(); };
  TargetFindings found;
  // The archives, once: what vanished, and what the offsite data rotation chooses from.
  OM_TRY(listed_at, c.catalog.query_one("SELECT UNIX_TIMESTAMP()")); // the catalog's clock
  OM_TRY(listed, borg::list_with(client, c.target.repo));
  OM_TRY(vanished, find_vanished(c, listed, listed_at ? listed_at->integer(0) : 0));
  found.vanished = std::move(vanished);
  auto& rows = found.rows;
  auto keep = [&](CheckRow row) -> Result<void> {
    OM_TRY_VOID(insert_check(c.catalog, row));
    rows.push_back(std::move(row));
    return {};
  };
  if (wants(Level::archives))
    OM_TRY_VOID(keep(check_archives(c, client)));
  if (wants(Level::data)) {
    if (c.target.is_remote()) {
      OM_TRY(row, rotate_offsite_data(c, client, budget, listed));
      OM_TRY_VOID(keep(std::move(row)));
    } else if (auto row = verify_local_data(c, client)) {
      OM_TRY_VOID(keep(std::move(*row)));
    }
  }
  if (wants(Level::repository))
    OM_TRY_VOID(keep(check_segments(c, client, budget)));
  return found;
}

} // namespace om::check
