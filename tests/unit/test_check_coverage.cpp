#include "support/catch.hpp"

#include <random>

#include <om/changes/anomaly.hpp>
#include <om/check/rotation.hpp>
#include <om/check/segment_log.hpp>

using namespace om;
using check::RotationArchive;

namespace {

borg::LogLine log_line(const std::string& message, const std::string& level = "INFO") {
  borg::LogLine l;
  l.type = borg::LogLine::Type::log_message;
  l.message = message;
  l.levelname = level;
  return l;
}

borg::LogLine progress(std::int64_t current, std::int64_t total) {
  borg::LogLine l;
  l.type = borg::LogLine::Type::progress_percent;
  l.current = current;
  l.total = total;
  return l;
}

std::vector<std::string> names(const std::vector<RotationArchive>& archives) {
  std::vector<std::string> out;
  for (const auto& a : archives)
    out.push_back(a.name);
  return out;
}

} // namespace

TEST_CASE("check coverage: a partial repository check says where it began and stopped") {
  check::SegmentCoverage c;
  c.observe(log_line("Starting repository check"));
  c.observe(log_line("skipping to segments >= 120"));
  c.observe(progress(40, 160));
  c.observe(progress(79, 160));
  c.observe(log_line("finished partial segment check, last segment checked is 211"));
  c.observe(log_line("Finished partial repository check, no problems found."));
  CHECK(c.first_segment == 120);
  CHECK(c.last_segment == 211);
  CHECK_FALSE(c.cycle_complete);
  CHECK(c.cycle_share() == 0.5);
  CHECK(c.damage.empty());
  CHECK(c.describe() == "segments 120 to 211 of 160 segment files");
}

TEST_CASE("check coverage: an SSH target's lines, the end of a cycle, and the damage") {
  check::SegmentCoverage c;
  c.observe(log_line("Remote: skipping to segments >= 0"));
  c.observe(log_line(
      "Remote: Data integrity error: Segment entry checksum mismatch [segment 5, offset 8]",
      "ERROR"));
  c.observe(log_line("Remote: finished segment check at segment 13"));
  c.observe(log_line("Remote: Finished partial repository check, errors found.", "ERROR"));
  CHECK(c.cycle_complete);
  CHECK(c.cycle_share() == 1.0);
  REQUIRE(c.damage.size() == 1);
  CHECK(c.damage.front() ==
        "Data integrity error: Segment entry checksum mismatch [segment 5, offset 8]");
  CHECK(c.describe() == "segments 0 to 13, cycle complete");
}

TEST_CASE("check rotation: the least recently read archives that fit, at least one") {
  const std::int64_t cycle = 1000;
  std::vector<RotationArchive> archives{
      {.name = "a", .start = "2026-01-01", .verified_at = 1500}, // read in this cycle
      {.name = "b", .start = "2026-01-02", .verified_at = 900},  // in the previous one
      {.name = "c", .start = "2026-01-03", .verified_at = std::nullopt},
      {.name = "d", .start = "2026-01-04", .verified_at = 800},
      {.name = "e", .start = "2026-01-05", .verified_at = std::nullopt}};
  std::vector<std::string> asked;
  auto size = [&](const RotationArchive& a) {
    asked.push_back(a.name);
    return std::int64_t{100};
  };
  // Never read first (oldest first), then the least recently read.
  CHECK(names(check::pick_for_rotation(archives, cycle, 250, size)) ==
        std::vector<std::string>{"c", "e"});
  CHECK(asked == std::vector<std::string>{"c", "e", "d"}); // only those weighed
  CHECK(names(check::pick_for_rotation(archives, cycle, 1000, size)) ==
        std::vector<std::string>{"c", "e", "d", "b"});
  // A budget smaller than any archive still reads one.
  CHECK(names(check::pick_for_rotation(archives, cycle, 1, size)) == std::vector<std::string>{"c"});
  CHECK(check::rotation_share(archives, cycle) == 0.2);
  // Every archive read in this cycle: nothing to pick.
  const std::vector<RotationArchive> all_read{{.name = "a", .verified_at = 1500},
                                              {.name = "b", .verified_at = 1000}};
  CHECK(check::pick_for_rotation(all_read, cycle, 1000, size).empty());
  CHECK(check::rotation_share(all_read, cycle) == 1.0);
}

TEST_CASE("anomaly: far more changes than the median of the last backups, and more than the "
          "minimum") {
  const changes::AnomalyRule rule; // 5 ×, 500 files
  std::vector<changes::ChangeCounts> usual(14, {.added = 10, .modified = 150, .removed = 3});
  CHECK_FALSE(changes::judge_changes(usual, {.added = 12, .modified = 170, .removed = 2}, rule));
  // 60 % of 10,000 files rewritten.
  CHECK(changes::judge_changes(usual, {.added = 0, .modified = 6000, .removed = 0}, rule) ==
        "modified 6000 files: over 5 × the median 150 of the last 14 backups, and over 500");
  // Five times the median, but few files: a quiet site's busy day.
  CHECK_FALSE(changes::judge_changes(usual, {.added = 400}, rule));
  // A mass deletion.
  CHECK(changes::judge_changes(usual, {.removed = 5000}, rule)->starts_with("removed 5000 files"));
  // Too little history to compare with; the rule turned off.
  CHECK_FALSE(changes::judge_changes({usual.begin(), usual.begin() + 2}, {.modified = 6000}, rule));
  CHECK_FALSE(changes::judge_changes(usual, {.modified = 6000}, {.factor = 0}));
}

TEST_CASE("anomaly: 30 nights of ordinary churn (up to 2 % of 10,000 files) raise none") {
  const changes::AnomalyRule rule;
  std::mt19937 random(20261208);
  std::uniform_int_distribution<std::int64_t> churn(0, 200); // ≤ 2 %
  std::uniform_int_distribution<std::int64_t> few(0, 20);
  std::vector<changes::ChangeCounts> history; // newest first
  int anomalies = 0;
  for (int night = 0; night < 30; ++night) {
    const changes::ChangeCounts now{
        .added = few(random), .modified = churn(random), .removed = few(random)};
    if (changes::judge_changes(history, now, rule))
      ++anomalies;
    history.insert(history.begin(), now);
  }
  CHECK(anomalies == 0);
}
