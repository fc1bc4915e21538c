#include "support/catch.hpp"

#include <om/prune/retention.hpp>
#include <om/util/time.hpp>

#include "support/utc.hpp"

using namespace om;

namespace {
using test::utc;

std::vector<std::string> kept(const std::vector<prune::Decision>& decisions) {
  std::vector<std::string> out;
  for (const auto& d : decisions) {
    if (d.keep)
      out.push_back(d.id + ":" + d.rule);
  }
  return out;
}
} // namespace

TEST_CASE("retention: the fixture's borg prune --keep-daily 2, decision for decision") {
  // prune-dry-run.stderr.jsonl: four archives, --keep-daily 2.
  std::vector<prune::Candidate> c = {{"21", utc("2026-11-21T02:00:00")},
                                     {"22", utc("2026-11-22T02:00:00")},
                                     {"23.checkpoint", utc("2026-11-23T02:00:00")},
                                     {"20", utc("2026-11-26T15:55:25")}};
  c.erase(c.begin() + 2); // borg prune does not count checkpoints in 1.2's --glob
  auto d = prune::apply_retention(c, {0, 2, 0, 0}, *util::find_zone("UTC"));
  CHECK(kept(d) == std::vector<std::string>{"20:daily #1", "22:daily #2"});
  CHECK_FALSE(d.back().keep);
  CHECK(d.back().id == "21");
}

TEST_CASE(
    "retention: a rule short of its count keeps the oldest, a kept one is not counted twice") {
  auto utc_zone = *util::find_zone("UTC");
  std::vector<prune::Candidate> c = {{"a", utc("2026-11-01T10:00:00")},
                                     {"b", utc("2026-11-01T11:00:00")},
                                     {"c", utc("2026-11-02T09:00:00")}};
  auto d = prune::apply_retention(c, {1, 5, 0, 0}, utc_zone);
  // hourly #1 takes c; daily skips c (kept) but its day is used, takes b; then oldest a.
  CHECK(kept(d) == std::vector<std::string>{"c:hourly #1", "b:daily #1", "a:daily[oldest] #2"});
}

TEST_CASE("retention: weeks are ISO weeks and months calendar months, in local time") {
  auto berlin = *util::find_zone("Europe/Berlin");
  // 2026-12-31 23:30 UTC is already 2027-01-01 in Berlin: another month and ISO week 53/2026.
  std::vector<prune::Candidate> c = {{"dec", utc("2026-12-31T22:30:00")},
                                     {"jan", utc("2026-12-31T23:30:00")}};
  auto monthly = prune::apply_retention(c, {0, 0, 0, 2}, berlin);
  CHECK(kept(monthly) == std::vector<std::string>{"jan:monthly #1", "dec:monthly #2"});
  auto weekly = prune::apply_retention(c, {0, 0, 1, 0}, berlin);
  CHECK(kept(weekly) == std::vector<std::string>{"jan:weekly #1"});
}

TEST_CASE("retention: identical times keep their given order and nothing kept when all zero") {
  std::vector<prune::Candidate> c = {{"first", 1000}, {"second", 1000}, {"third", 1000}};
  auto d = prune::apply_retention(c, {0, 1, 0, 0}, *util::find_zone("UTC"));
  CHECK(kept(d) == std::vector<std::string>{"first:daily #1"});
  CHECK(prune::RetentionPolicy{}.keeps_nothing());
  auto none = prune::apply_retention(c, {}, *util::find_zone("UTC"));
  CHECK(kept(none).empty());
}
