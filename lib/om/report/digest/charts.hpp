#pragma once

#include <string>
#include <vector>

#include <om/report/digest/view.hpp>
#include <om/util/error.hpp>

namespace om::report {

enum class ChartFormat { svg, png };

// One chart of the digest: what it shows, and the picture (SVG text or PNG bytes).
struct Chart {
  std::string id;      // runs-per-day, durations, growth, legacy-bytes
  std::string title;   // "Runs per day"
  std::string caption; // what it shows, in words (alt text)
  std::string image;
};

// The gnuplot script of each chart the view has data for: runs per day and kind (stacked
// success, warning, failure; one plot — a <g id="gnuplot_plot_N"> in SVG — per day), duration
// per run with each kind's median, repository growth per target, legacy bytes per day. Data
// goes inline (datablocks), never through a file. Colours read on light and dark mail clients
// alike (a white chart background, mid-tone series); axes say their units; times are the
// admin's wall clock.
[[nodiscard]] std::vector<Chart> chart_scripts(const DigestView& view, const DigestData& data,
                                               ChartFormat format);

// Runs gnuplot (`program`, a child through proc, the script on its stdin) for each chart;
// a chart gnuplot cannot draw is an error naming it and gnuplot's first complaint.
[[nodiscard]] Result<std::vector<Chart>> render_charts(const DigestView& view,
                                                       const DigestData& data, ChartFormat format,
                                                       const std::string& program);

} // namespace om::report
