#pragma once

#include <string>
#include <vector>

#include <om/report/digest/charts.hpp>
#include <om/report/digest/view.hpp>

namespace om::report {

// How the page shows its charts: the SVG inside the page (a file a browser opens: nothing is
// fetched, nothing runs), or <img src="cid:ID@om-backup"> for the PNG parts of a mail.
enum class ChartEmbedding { inline_svg, mail_cid };

struct DigestText {
  std::string subject;
  std::string html;
  std::string text; // the same numbers for text-only readers
};

// The digest as one self-contained page and as plain text: totals per kind, the last success
// of each kind, target and copy destination with its age (red past max-age), the charts, the
// failures and warnings with their first error line, prune deletions, restore drills and the
// next scheduled runs. An empty period says so instead of drawing empty axes.
[[nodiscard]] DigestText render_digest(const DigestData& data, const DigestView& view,
                                       const std::vector<Chart>& charts, ChartEmbedding embedding,
                                       const std::string& host, std::int64_t max_age_s);

[[nodiscard]] std::string html_escape(std::string_view text);

} // namespace om::report
