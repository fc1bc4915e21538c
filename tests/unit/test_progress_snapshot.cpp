#include "support/catch.hpp"

#include <om/progress/snapshot.hpp>

using namespace om;

TEST_CASE("progress: percent and ETA from the previous job's duration") {
  CHECK_FALSE(progress::estimate(1000, std::nullopt).percent);
  CHECK_FALSE(progress::estimate(1000, 0).eta_seconds);
  auto half = progress::estimate(30'000, 60'000);
  CHECK(half.percent == 50.0);
  CHECK(half.eta_seconds == 30);
  // Longer than last time: almost done, and nobody knows how long still.
  auto late = progress::estimate(90'000, 60'000);
  CHECK(late.percent == 99.0);
  CHECK_FALSE(late.eta_seconds);
}

TEST_CASE("progress: percent and ETA from how much of a known total is done") {
  CHECK_FALSE(progress::estimate_from_bytes(1000, 10, 0).percent);
  auto start = progress::estimate_from_bytes(0, 0, 1000);
  CHECK(start.percent == 0.0);
  CHECK_FALSE(start.eta_seconds); // nothing done yet: no pace
  auto quarter = progress::estimate_from_bytes(10'000, 250, 1000);
  CHECK(quarter.percent == 25.0);
  CHECK(quarter.eta_seconds == 30);
  // All read but not ended: never 100 before the end.
  auto all = progress::estimate_from_bytes(10'000, 1000, 1000);
  CHECK(all.percent == 99.9);
  CHECK(all.eta_seconds == 0);
  // A count past the total (a file grown since) stays at the whole.
  CHECK(progress::estimate_from_bytes(10'000, 5000, 1000).percent == 99.9);
}
