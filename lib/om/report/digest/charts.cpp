#include <om/report/digest/charts.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <om/proc/run.hpp>
#include <om/util/strings.hpp>

namespace om::report {
namespace {

constexpr const char* k_success = "#2e8b57";
constexpr const char* k_warning = "#e0a000";
constexpr const char* k_failure = "#d62728";

std::string kind_colour(const std::string& kind) {
  if (kind == "borg")
    return "#1f77b4";
  if (kind == "files")
    return "#9467bd";
  if (kind == "db")
    return "#8c564b";
  if (kind == "both")
    return "#17becf";
  return "#7f7f7f";
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A gnuplot string literal: single quotes, where only '' is special.
std::string gnuplot_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out + "'";
}

std::string terminal(ChartFormat f, int height) {
  const std::string size = "size 860," + std::to_string(height);
  if (f == ChartFormat::svg)
    return "set terminal svg " + size + " enhanced font 'DejaVu Sans,11' background rgb 'white'\n";
  return "set terminal pngcairo " + size +
         " enhanced font 'DejaVu Sans,10' background rgb 'white'\n";
}

std::string common(ChartFormat f, int height) {
  return terminal(f, height) + "set output\n"
                               "set border 3 lc rgb '#555555'\n"
                               "set tics nomirror textcolor rgb '#333333'\n"
                               "set grid ytics lc rgb '#dddddd'\n"
                               "set key below horizontal textcolor rgb '#333333'\n";
}

// x tics: at most ~10 labelled days.
std::string day_tics(const DigestView& v) {
  const std::size_t n = v.days.size();
  const std::size_t step = std::max<std::size_t>(1, (n + 9) / 10);
  std::string tics = "set xtics (";
  for (std::size_t i = 0; i < n; i += step) {
    if (i > 0)
      tics += ", ";
    tics += gnuplot_string(v.days[i].substr(5)) + " " + std::to_string(i);
  }
  return tics + ")\n";
}

// A tic step of 1, 2 or 5 times a power of ten giving at most about 8 tics up to `top`.
std::int64_t nice_step(std::int64_t top) {
  for (std::int64_t scale = 1;; scale *= 10) {
    for (std::int64_t m : {1, 2, 5}) {
      if (top <= 8 * m * scale)
        return m * scale;
    }
  }
}

// Per day one plot (one SVG group) of boxes: per kind a bar stacked success, warning, failure.
Chart runs_per_day(const DigestView& v, ChartFormat f) {
  const auto k = static_cast<double>(v.kinds.size());
  const double width = 0.8 / k;
  std::string data = "$runs << EOD\n";
  std::int64_t top = 1;
  for (std::size_t d = 0; d < v.days.size(); ++d) {
    // x y xlow xhigh ylow yhigh colour; a day without runs gets an empty box (its group).
    data += num(static_cast<double>(d)) + " 0 " + num(static_cast<double>(d) - 0.01) + " " +
            num(static_cast<double>(d) + 0.01) + " 0 0 0xffffff\n";
    for (std::size_t i = 0; i < v.kinds.size(); ++i) {
      auto it = v.per_day[d].find(v.kinds[i]);
      if (it == v.per_day[d].end())
        continue;
      const auto& c = it->second;
      const double left = static_cast<double>(d) - 0.4 + width * static_cast<double>(i);
      const double right = left + width * 0.9;
      const double mid = (left + right) / 2;
      std::int64_t base = 0;
      for (auto [count, colour] : {std::pair{c.success, k_success}, std::pair{c.warning, k_warning},
                                   std::pair{c.failure, k_failure}}) {
        if (count == 0)
          continue;
        data += num(mid) + " " + std::to_string(base) + " " + num(left) + " " + num(right) + " " +
                std::to_string(base) + " " + std::to_string(base + count) + " 0x" +
                std::string(colour + 1) + "\n";
        base += count;
      }
      top = std::max(top, base);
    }
    data += "\n";
  }
  data += "EOD\n";
  std::string s = common(f, 320) + data + day_tics(v);
  s += "set ylabel 'runs per day' textcolor rgb '#333333'\n";
  s += "set xrange [-0.6:" + num(static_cast<double>(v.days.size()) - 0.4) + "]\n";
  s += "set yrange [0:" + std::to_string(top + 1) + "]\n";
  s += "set ytics " + std::to_string(nice_step(top)) + "\n";
  s += "set style fill solid 1.0 noborder\n";
  s += "plot for [i=0:" + std::to_string(v.days.size() - 1) +
       "] $runs every :::i::i using 1:2:3:4:5:6:7 with boxxyerror lc rgb variable notitle, \\\n"
       "  NaN with boxes lc rgb '" +
       std::string(k_success) + "' title 'success', NaN with boxes lc rgb '" + k_warning +
       "' title 'warning', NaN with boxes lc rgb '" + k_failure + "' title 'failure'\n";
  std::string kinds = util::join(v.kinds, ", ");
  return {"runs-per-day", "Runs per day",
          "Runs per day (" + kinds + " side by side, left to right): success, warning, failure", s};
}

// The unit a range of seconds reads best in.
std::pair<double, std::string> time_unit(double max_s) {
  if (max_s >= 7200)
    return {3600.0, "hours"};
  if (max_s >= 120)
    return {60.0, "minutes"};
  return {1.0, "seconds"};
}

std::pair<double, std::string> size_unit(double max_bytes) {
  if (max_bytes >= 1024.0 * 1024 * 1024)
    return {1024.0 * 1024 * 1024, "GiB"};
  if (max_bytes >= 1024.0 * 1024)
    return {1024.0 * 1024, "MiB"};
  if (max_bytes >= 1024.0)
    return {1024.0, "KiB"};
  return {1.0, "bytes"};
}

std::string time_axis(const DigestView& v) {
  return "set xdata time\nset timefmt '%s'\nset format x '%d %b'\nset xrange ['" +
         std::to_string(v.day_starts.front()) + "':'" +
         std::to_string(v.day_starts.back() + 86400) + "']\n";
}

Chart durations(const DigestView& v, ChartFormat f) {
  double max_s = 1;
  for (const auto& [kind, points] : v.durations)
    for (const auto& p : points)
      max_s = std::max(max_s, p.seconds);
  const auto [unit, unit_name] = time_unit(max_s);
  std::string s = common(f, 300) + time_axis(v);
  s += "set ylabel 'duration (" + unit_name + ")' textcolor rgb '#333333'\n";
  s += "set yrange [0:*]\n";
  std::vector<std::string> plots;
  std::size_t block = 0;
  std::string data;
  for (const auto& kind : v.kinds) {
    auto it = v.durations.find(kind);
    if (it == v.durations.end())
      continue;
    data += "$d" + std::to_string(block) + " << EOD\n";
    for (const auto& p : it->second)
      data += std::to_string(p.local_at) + " " + num(p.seconds / unit) + "\n";
    data += "EOD\n";
    const auto colour = kind_colour(kind);
    plots.push_back("$d" + std::to_string(block) + " using 1:2 with points pt 7 ps 0.7 lc rgb '" +
                    colour + "' title " + gnuplot_string(kind));
    plots.push_back(num(v.median_s.at(kind) / unit) + " with lines dt 2 lw 1.5 lc rgb '" + colour +
                    "' title " + gnuplot_string(kind + " median"));
    ++block;
  }
  s += data + "plot " + util::join(plots, ", \\\n  ") + "\n";
  return {"durations", "Duration of each successful run",
          "Duration of each successful run over time, per kind, with the median as a dashed line",
          s};
}

Chart growth(const DigestView& v, const DigestData& d, ChartFormat f) {
  double max_bytes = 1;
  for (const auto& [target, points] : d.growth) {
    std::int64_t added = 0;
    for (const auto& p : points) {
      added += p.deduplicated;
      max_bytes =
          std::max({max_bytes, static_cast<double>(p.original), static_cast<double>(added)});
    }
  }
  const auto [unit, unit_name] = size_unit(max_bytes);
  std::string s = common(f, 300) + time_axis(v);
  s += "set ylabel 'size (" + unit_name + ")' textcolor rgb '#333333'\n";
  s += "set yrange [0:*]\n";
  std::vector<std::string> plots;
  std::string data;
  std::size_t block = 0;
  const char* palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf"};
  for (const auto& [target, points] : d.growth) {
    const std::string colour = palette[block % std::size(palette)];
    data += "$g" + std::to_string(block) + " << EOD\n";
    std::int64_t added = 0;
    for (const auto& p : points) {
      added += p.deduplicated;
      data += std::to_string(local_seconds(p.at, date::locate_zone(v.zone))) + " " +
              num(static_cast<double>(p.original) / unit) + " " +
              num(static_cast<double>(p.compressed) / unit) + " " +
              num(static_cast<double>(added) / unit) + "\n";
    }
    data += "EOD\n";
    const auto g = "$g" + std::to_string(block);
    plots.push_back(g + " using 1:2 with linespoints pt 7 ps 0.5 lc rgb '" + colour + "' title " +
                    gnuplot_string(target + ": original"));
    plots.push_back(g + " using 1:3 with lines dt 2 lc rgb '" + colour + "' title " +
                    gnuplot_string(target + ": compressed"));
    plots.push_back(g + " using 1:4 with lines lw 2.5 lc rgb '" + colour + "' title " +
                    gnuplot_string(target + ": new data, summed"));
    ++block;
  }
  s += data + "plot " + util::join(plots, ", \\\n  ") + "\n";
  return {"growth", "Repository growth",
          "Per target: each archive's original and compressed size, and the new (deduplicated) "
          "data the period's archives added, summed",
          s};
}

Chart legacy_bytes(const DigestView& v, ChartFormat f) {
  double max_bytes = 1;
  for (auto b : v.legacy_bytes_per_day)
    max_bytes = std::max(max_bytes, static_cast<double>(b));
  const auto [unit, unit_name] = size_unit(max_bytes);
  std::string data = "$l << EOD\n";
  for (std::size_t d = 0; d < v.days.size(); ++d)
    data +=
        std::to_string(d) + " " + num(static_cast<double>(v.legacy_bytes_per_day[d]) / unit) + "\n";
  data += "EOD\n";
  std::string s = common(f, 260) + data + day_tics(v);
  s += "set ylabel 'written per day (" + unit_name + ")' textcolor rgb '#333333'\n";
  s += "set xrange [-0.6:" + num(static_cast<double>(v.days.size()) - 0.4) + "]\n";
  s += "set yrange [0:*]\nset style fill solid 1.0 noborder\nset boxwidth 0.7\n";
  s += "plot $l using 1:2 with boxes lc rgb '" + kind_colour("files") +
       "' title 'legacy files and dumps'\n";
  return {"legacy-bytes", "Legacy backups: bytes written per day",
          "Bytes the legacy files and db backups wrote per day", s};
}

} // namespace

std::vector<Chart> chart_scripts(const DigestView& v, const DigestData& d, ChartFormat f) {
  std::vector<Chart> charts;
  if (v.empty())
    return charts;
  charts.push_back(runs_per_day(v, f));
  if (!v.durations.empty())
    charts.push_back(durations(v, f));
  if (!d.growth.empty())
    charts.push_back(growth(v, d, f));
  if (std::ranges::any_of(v.legacy_bytes_per_day, [](std::int64_t b) { return b > 0; }))
    charts.push_back(legacy_bytes(v, f));
  return charts;
}

Result<std::vector<Chart>> render_charts(const DigestView& view, const DigestData& data,
                                         ChartFormat format, const std::string& program) {
  auto charts = chart_scripts(view, data, format);
  // Every chart at once: one gnuplot each, side by side.
  std::vector<proc::Command> commands;
  std::vector<proc::Streams> streams;
  std::vector<proc::Feed> feeds(charts.size());
  std::vector<std::string> complaints(charts.size());
  commands.reserve(charts.size());
  streams.reserve(charts.size());
  for (std::size_t i = 0; i < charts.size(); ++i) {
    feeds[i].write(charts[i].image);
    feeds[i].close();
    charts[i].image.clear();
    proc::Command c;
    c.argv = {program};
    c.stdin_feed = &feeds[i];
    c.timeout = std::chrono::seconds(60);
    commands.push_back(std::move(c));
    proc::Streams s;
    s.on_stdout_data = [&charts, i](std::string_view chunk) { charts[i].image.append(chunk); };
    s.on_stderr_line = [&complaints, i](std::string_view line) {
      if (complaints[i].empty() && !util::trim(line).empty())
        complaints[i] = util::first_line(line);
    };
    streams.push_back(std::move(s));
  }
  if (charts.empty())
    return charts;
  OM_TRY(outcomes, proc::run_together(commands, streams));
  for (std::size_t i = 0; i < charts.size(); ++i) {
    if (!outcomes[i].success() || charts[i].image.empty())
      return fail("gnuplot could not draw the chart " + charts[i].id + ": " +
                  (complaints[i].empty() ? program + " " + outcomes[i].describe() : complaints[i]));
  }
  return charts;
}

} // namespace om::report
