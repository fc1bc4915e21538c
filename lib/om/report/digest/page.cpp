#include <om/report/digest/page.hpp>

#include <cstdio>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : util::to_valid_utf8(text)) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

namespace {

constexpr const char* k_style = R"(
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 0; padding: 24px;
       background: #f4f5f7; color: #222; }
main { max-width: 900px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
p.period { margin: 0 0 16px; color: #555; }
section, figure { background: #fff; border-radius: 6px; padding: 12px 16px; margin: 0 0 16px; }
figure svg, figure img { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e3e3;
         vertical-align: top; }
td.num, th.num { text-align: right; }
.stale, .failure td.status { color: #b00020; font-weight: bold; }
.warning td.status { color: #8a6100; font-weight: bold; }
.ok { color: #1e6b3c; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
               vertical-align: middle; }
.empty { font-size: 16px; }
@media (prefers-color-scheme: dark) {
  body { background: #1b1c1f; color: #e6e6e6; }
  section { background: #26282c; } th, td { border-color: #3a3d42; }
  p.period, figcaption { color: #b0b0b0; }
  .stale, .failure td.status { color: #ff6b6b; } .warning td.status { color: #f0c040; }
  .ok { color: #6fd39b; }
}
)";

std::string when(std::int64_t t, const date::time_zone* tz) {
  return util::format_time(t, tz, "%Y-%m-%d %H:%M");
}

std::string status_of(const DigestRun& r) {
  if (r.status == "success")
    return "warning";
  return r.status;
}

std::string svg_body(const std::string& svg) {
  // The document's own header goes; the <svg> element stays whole.
  auto start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

// A duration of seconds; below 10 s with a tenth.
std::string seconds_text(double s) {
  if (s >= 10)
    return human_duration(static_cast<std::int64_t>(s));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string bytes(std::int64_t b) {
  return util::human_bytes(b);
}

// The page and its text as they are written, section by section.
struct Page {
  const DigestData& data;
  const DigestView& view;
  const date::time_zone* tz;
  std::int64_t days;
  std::string html;
  std::string text;
};

// Runs per kind, and the totals.
void summary_section(Page& p) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& d = p.data;
  const auto& v = p.view;
  const auto* tz = p.tz;
  const auto days = p.days;
  // Totals.
  h += "<section id=\"summary\">\n<h2>Runs</h2>\n";
  if (v.empty()) {
    h += "<p class=\"empty\">No backup ran in these " + std::to_string(days) +
         " days: the catalog has no job that ended between " + html_escape(when(d.since, tz)) +
         " and " + html_escape(when(d.until, tz)) + ".</p>\n";
    t += "No backup ran in these " + std::to_string(days) + " days.\n";
  } else {
    h += "<table>\n<tr><th>kind</th><th class=\"num\">runs</th><th class=\"num\">success</th>"
         "<th class=\"num\">warnings</th><th class=\"num\">failed</th><th class=\"num\">median "
         "duration</th></tr>\n";
    t += "kind      runs  success  warnings  failed  median duration\n";
    for (const auto& kind : v.kinds) {
      const auto& c = v.per_kind.at(kind);
      auto median = v.median_s.contains(kind) ? seconds_text(v.median_s.at(kind)) : "-";
      h += "<tr data-kind=\"" + html_escape(kind) + "\"><td>" + html_escape(kind) +
           "</td><td class=\"num\">" + std::to_string(c.total()) + "</td><td class=\"num\">" +
           std::to_string(c.success) + "</td><td class=\"num\">" + std::to_string(c.warning) +
           "</td><td class=\"num\">" + std::to_string(c.failure) + "</td><td class=\"num\">" +
           html_escape(median) + "</td></tr>\n";
      char line[160];
      std::snprintf(line, sizeof line, "%-8s %5lld %8lld %9lld %7lld  %s\n", kind.c_str(),
                    static_cast<long long>(c.total()), static_cast<long long>(c.success),
                    static_cast<long long>(c.warning), static_cast<long long>(c.failure),
                    median.c_str());
      t += line;
    }
    h += R"(<tr class="total" data-runs=")" + std::to_string(v.total.total()) +
         R"(" data-failed=")" + std::to_string(v.total.failure) + R"(" data-warnings=")" +
         std::to_string(v.total.warning) + R"("><th>total</th><th class="num">)" +
         std::to_string(v.total.total()) + "</th><th class=\"num\">" +
         std::to_string(v.total.success) + "</th><th class=\"num\">" +
         std::to_string(v.total.warning) + "</th><th class=\"num\">" +
         std::to_string(v.total.failure) + "</th><th></th></tr>\n</table>\n";
    t += "total: " + std::to_string(v.total.total()) + " runs, " + std::to_string(v.total.success) +
         " success, " + std::to_string(v.total.warning) + " with warnings, " +
         std::to_string(v.total.failure) + " failed\n";
  }
  h += "</section>\n";
}

// The last success of each kind, target and destination, red past max-age.
void last_success_section(Page& p, std::int64_t max_age_s) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& v = p.view;
  const auto* tz = p.tz;
  // Last success of each kind, target and destination.
  if (!v.last_success.empty()) {
    h += "<section id=\"last-success\">\n<h2>Last success</h2>\n<table>\n<tr><th>what</th>"
         "<th>last success</th><th class=\"num\">age</th></tr>\n";
    t += "\nLast success (red past " + human_duration(max_age_s) + "):\n";
    for (const auto& s : v.last_success) {
      const std::string at = s.at ? when(*s.at, tz) : "never";
      const std::string age = s.age_s ? human_duration(*s.age_s) : "-";
      h += std::string("<tr") + (s.stale ? " class=\"stale\"" : "") + "><td>" +
           html_escape(s.what) + "</td><td>" + html_escape(at) + "</td><td class=\"num\">" +
           html_escape(age) + "</td></tr>\n";
      t += "  " + s.what + ": " + at + (s.age_s ? " (" + age + " ago)" : "") +
           (s.stale ? "  TOO OLD" : "") + "\n";
    }
    h += "</table>\n</section>\n";
  }
}

// The charts, as inline SVG or as cid: images.
void chart_figures(Page& p, const std::vector<Chart>& charts, ChartEmbedding embedding) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& d = p.data;
  const auto days = p.days;
  // Charts.
  for (const auto& c : charts) {
    h += "<figure id=\"" + c.id + "\"" +
         (c.id == "runs-per-day" ? " data-days=\"" + std::to_string(days) + "\"" : "") + ">\n<h2>" +
         html_escape(c.title) + "</h2>\n";
    if (embedding == ChartEmbedding::inline_svg)
      h += svg_body(c.image);
    else
      h += R"(<img src="cid:)" + c.id + R"(@om-backup" width="860" alt=")" +
           html_escape(c.caption) + R"(">)";
    h += "\n<figcaption>" + html_escape(c.caption);
    if (c.id == "runs-per-day")
      h += "<span class=\"legend\"><span style=\"background:#2e8b57\"></span>success"
           "<span style=\"background:#e0a000\"></span>warning"
           "<span style=\"background:#d62728\"></span>failure</span>";
    if (c.id == "growth" && !d.repository_now.empty()) {
      std::vector<std::string> now;
      now.reserve(d.repository_now.size());
      for (const auto& [target, size] : d.repository_now)
        now.push_back(target + " " + bytes(size));
      h += "<br>The repositories now hold (borg info): " + html_escape(util::join(now, ", "));
    }
    h += "</figcaption>\n</figure>\n";
  }
  if (!d.repository_now.empty()) {
    t += "\nRepository size now (borg info):";
    for (const auto& [target, size] : d.repository_now)
      t += " " + target + " " + bytes(size);
    t += "\n";
  }
}

// The failures and warnings with their first error line.
void problems_section(Page& p) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& v = p.view;
  const auto* tz = p.tz;
  // Problems.
  if (!v.empty()) {
    h += "<section id=\"failures\">\n<h2>Failures and warnings: <span class=\"failure-count\">" +
         std::to_string(v.total.failure) + "</span> failed, <span class=\"warning-count\">" +
         std::to_string(v.total.warning) + "</span> with warnings</h2>\n";
    t += "\nFailures and warnings: " + std::to_string(v.total.failure) + " failed, " +
         std::to_string(v.total.warning) + " with warnings\n";
    if (!v.problems.empty()) {
      h += "<table>\n<tr><th>when</th><th>kind</th><th>host</th><th>status</th><th>first error "
           "line</th></tr>\n";
      for (const auto* r : v.problems) {
        const auto status = status_of(*r);
        h += "<tr class=\"" + std::string(status == "warning" ? "warning" : "failure") +
             "\" data-job=\"" + html_escape(r->id) + "\"><td>" +
             html_escape(when(r->created_at, tz)) + "</td><td>" + html_escape(r->kind) +
             "</td><td>" + html_escape(r->host) + "</td><td class=\"status\">" +
             html_escape(status) + "</td><td class=\"error\">" + html_escape(r->first_error_line) +
             "</td></tr>\n";
        t += "  " + when(r->created_at, tz) + "  " + r->kind + "  " + status + "  " +
             util::to_valid_utf8(r->first_error_line) + "\n";
      }
      h += "</table>\n";
    }
    h += "</section>\n";
  }
}

// Under a table that shows the newest `shown` of `count` rows: how many more there were.
std::string earlier_ones(std::int64_t count, std::size_t shown) {
  const auto more = count - static_cast<std::int64_t>(shown);
  return more > 0 ? "<p>… and " + std::to_string(more) + " earlier ones.</p>\n" : "";
}

// The restores of the period: who brought what back where, and how it ended.
void restores_section(Page& p) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& d = p.data;
  h += "<section id=\"restores\">\n<h2>Restores: " + std::to_string(d.restore_count) + "</h2>\n";
  t += "Restores: " + std::to_string(d.restore_count) + "\n";
  if (d.restores.empty()) {
    h += "<p>None in this period.</p>\n</section>\n";
    return;
  }
  h += "<table>\n<tr><th>when</th><th>host</th><th>what</th><th>from</th><th>to</th><th>by</th>"
       "<th>result</th></tr>\n";
  for (const auto& r : d.restores) {
    const char* css =
        r.status == "success" ? "ok" : (r.status == "running" ? "running" : "failure");
    const auto result = r.status + (r.first_error_line.empty() ? "" : ": " + r.first_error_line);
    h += std::string("<tr class=\"") + css + "\"><td>" + html_escape(when(r.at, p.tz)) +
         "</td><td>" + html_escape(r.host) + "</td><td>" + html_escape(r.what) + "</td><td>" +
         html_escape(r.source) + "</td><td>" + html_escape(r.destination) + "</td><td>" +
         html_escape(r.requested_by) + "</td><td class=\"status\">" + html_escape(result) +
         "</td></tr>\n";
    t += "  " + when(r.at, p.tz) + "  " + r.what + " from " + r.source + " to " + r.destination +
         " by " + r.requested_by + "  " + result + "\n";
  }
  h += "</table>\n" + earlier_ones(d.restore_count, d.restores.size()) + "</section>\n";
}

// Prune deletions, restore drills, the next scheduled runs.
void history_sections(Page& p) {
  auto& h = p.html;
  auto& t = p.text;
  const auto& d = p.data;
  const auto* tz = p.tz;
  // Prunes, drills, schedule.
  h += "<section id=\"prunes\">\n<h2>Prune deletions: " + std::to_string(d.prune_count) + "</h2>\n";
  t += "\nPrune deletions: " + std::to_string(d.prune_count) + "\n";
  if (!d.prunes.empty()) {
    h += "<table>\n<tr><th>when</th><th>host</th><th>store</th><th>deleted</th></tr>\n";
    for (const auto& prune : d.prunes)
      h += "<tr><td>" + html_escape(when(prune.at, tz)) + "</td><td>" + html_escape(prune.host) +
           "</td><td>" + html_escape(prune.store) + "</td><td>" + html_escape(prune.target) +
           "</td></tr>\n";
    h += "</table>\n" + earlier_ones(d.prune_count, d.prunes.size());
  }
  h += "</section>\n<section id=\"drills\">\n<h2>Restore drills: " +
       std::to_string(d.drills.size()) + "</h2>\n";
  t += "Restore drills: " + std::to_string(d.drills.size()) + "\n";
  if (d.drills.empty()) {
    h += "<p>None in this period: <code>om-backup-restore verify</code> proves a backup "
         "restores.</p>\n";
  } else {
    h += "<table>\n<tr><th>when</th><th>host</th><th>backup</th><th>result</th></tr>\n";
    for (const auto& dr : d.drills) {
      h += std::string("<tr class=\"") + (dr.status == "success" ? "ok" : "failure") + "\"><td>" +
           html_escape(when(dr.at, tz)) + "</td><td>" + html_escape(dr.host) + "</td><td>" +
           html_escape(dr.source) + "</td><td class=\"status\">" + html_escape(dr.status) +
           (dr.first_error_line.empty() ? "" : ": " + html_escape(dr.first_error_line)) +
           "</td></tr>\n";
      t += "  " + when(dr.at, tz) + "  " + dr.source + "  " + dr.status +
           (dr.first_error_line.empty() ? "" : ": " + dr.first_error_line) + "\n";
    }
    h += "</table>\n";
  }
  h += "</section>\n";
  restores_section(p);
  h += "<section id=\"schedule\">\n<h2>Next scheduled runs</h2>\n";
  if (d.next_runs.empty()) {
    h += "<p>No schedule in backup_settings (or backups are disabled there).</p>\n";
    t += "Next scheduled runs: none\n";
  } else {
    std::vector<std::string> next;
    next.reserve(d.next_runs.size());
    for (auto n : d.next_runs)
      next.push_back(when(n, tz));
    h += "<p><code>" + html_escape(d.schedule) + "</code>: " + html_escape(util::join(next, ", ")) +
         "</p>\n";
    t += "Next scheduled runs (" + d.schedule + "): " + util::join(next, ", ") + "\n";
  }
  h += "</section>\n";
}

} // namespace

DigestText render_digest(const DigestData& d, const DigestView& v, const std::vector<Chart>& charts,
                         ChartEmbedding embedding, const std::string& host,
                         std::int64_t max_age_s) {
  const auto* tz = date::locate_zone(v.zone);
  const auto days = static_cast<std::int64_t>(v.days.size());
  DigestText out;
  out.subject = "[om-backup] digest for " + host + ", " + v.days.front() + " to " + v.days.back() +
                ": " + std::to_string(v.total.total()) + " runs, " +
                std::to_string(v.total.failure) + " failed, " + std::to_string(v.total.warning) +
                " with warnings";
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>" +
                  html_escape(out.subject) + "</title>\n<style>" + k_style +
                  "</style>\n</head>\n<body>\n<main>\n";
  std::string t;
  h += "<h1>Backups of " + html_escape(host) + "</h1>\n<p class=\"period\">" +
       std::to_string(days) + " days, " + html_escape(v.days.front()) + " to " +
       html_escape(v.days.back()) + " (" + html_escape(v.zone) + ")</p>\n";
  t += "Backups of " + host + ": " + std::to_string(days) + " days, " + v.days.front() + " to " +
       v.days.back() + " (" + v.zone + ")\n\n";

  Page p{d, v, tz, days, std::move(h), std::move(t)};
  summary_section(p);
  last_success_section(p, max_age_s);
  chart_figures(p, charts, embedding);
  problems_section(p);
  history_sections(p);
  p.html += "</main>\n</body>\n</html>\n";
  out.html = std::move(p.html);
  out.text = std::move(p.text);
  return out;
}

} // namespace om::report
