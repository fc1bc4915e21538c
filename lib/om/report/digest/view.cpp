#include <om/report/digest/view.hpp>

#include <algorithm>

#include <om/jobs/job.hpp>
#include <om/util/time.hpp>

namespace om::report {

std::int64_t local_seconds(std::int64_t unix_seconds, const date::time_zone* tz) {
  const date::sys_seconds at{std::chrono::seconds(unix_seconds)};
  return tz->to_local(at).time_since_epoch().count();
}

std::string human_duration(std::int64_t s) {
  if (s < 0)
    s = 0;
  if (s < 120)
    return std::to_string(s) + " s";
  if (s < 7200)
    return std::to_string(s / 60) + " min";
  if (s < std::int64_t{3} * 86400)
    return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
  return std::to_string(s / 86400) + " d " + std::to_string(s % 86400 / 3600) + " h";
}

namespace {

double median(std::vector<double> v) {
  std::ranges::sort(v);
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

} // namespace

DigestView view_of(const DigestData& d, std::int64_t max_age_s, const date::time_zone* tz) {
  DigestView v;
  v.zone = std::string(tz->name());
  // The local days the period touches.
  const auto first_day = date::floor<date::days>(
      date::local_seconds{std::chrono::seconds(local_seconds(d.since, tz))});
  const auto last_day = date::floor<date::days>(
      date::local_seconds{std::chrono::seconds(local_seconds(std::max(d.since, d.until - 1), tz))});
  for (auto day = first_day; day <= last_day; day += date::days(1)) {
    v.days.push_back(date::format("%Y-%m-%d", day));
    v.day_starts.push_back(date::local_seconds(day).time_since_epoch().count());
  }
  v.per_day.resize(v.days.size());
  v.legacy_bytes_per_day.assign(v.days.size(), 0);
  auto day_of = [&](std::int64_t unix_seconds) -> std::size_t {
    const auto day = date::floor<date::days>(
        date::local_seconds{std::chrono::seconds(local_seconds(unix_seconds, tz))});
    const auto i = (day - first_day).count();
    return static_cast<std::size_t>(
        std::clamp<std::int64_t>(i, 0, static_cast<std::int64_t>(v.days.size()) - 1));
  };

  std::map<std::string, std::vector<double>> seconds;
  for (const auto& r : d.runs) {
    auto& day = v.per_day[day_of(r.created_at)][r.kind];
    auto& kind = v.per_kind[r.kind];
    auto count = [&](StatusCounts& c) {
      if (r.status != "success")
        ++c.failure;
      else if (r.warned)
        ++c.warning;
      else
        ++c.success;
    };
    count(day);
    count(kind);
    count(v.total);
    if (r.status == "success" && r.duration_ms) {
      const double s = static_cast<double>(*r.duration_ms) / 1000.0;
      v.durations[r.kind].push_back({local_seconds(r.created_at, tz), s});
      seconds[r.kind].push_back(s);
    }
    if (r.status != "success" || r.warned)
      v.problems.push_back(&r);
  }
  std::ranges::reverse(v.problems);
  for (auto kind : jobs::k_all_kinds) {
    const std::string name(jobs::to_string(kind));
    if (v.per_kind.contains(name))
      v.kinds.push_back(name);
  }
  for (auto& [kind, values] : seconds)
    v.median_s[kind] = median(values);
  for (const auto& [at, bytes] : d.legacy_bytes)
    v.legacy_bytes_per_day[day_of(at)] += bytes;
  for (const auto& s : d.last_success) {
    Staleness st{s.what, s.at, std::nullopt, true};
    if (s.at) {
      st.age_s = std::max<std::int64_t>(0, d.until - *s.at);
      st.stale = *st.age_s > max_age_s;
    }
    v.last_success.push_back(std::move(st));
  }
  return v;
}

} // namespace om::report
