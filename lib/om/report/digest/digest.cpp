#include <om/report/digest/digest.hpp>

#include <cstdio>

#include <date/tz.h>

#include <om/config/target.hpp>
#include <om/mail/sendmail.hpp>
#include <om/proc/run.hpp>
#include <om/report/digest/charts.hpp>
#include <om/report/digest/data.hpp>
#include <om/report/digest/mail.hpp>
#include <om/report/digest/page.hpp>
#include <om/report/digest/view.hpp>
#include <om/report/repository.hpp>
#include <om/report/when.hpp>
#include <om/util/command_line.hpp>
#include <om/util/files.hpp>
#include <om/util/host.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::report {
Result<void> run_digest(db::Catalog& catalog, const config::Options& options,
                        const DigestRequest& r) {
  const auto now = util::now_unix();
  OM_TRY(since, parse_when(r.since, now));
  OM_TRY(max_age, util::parse_duration(r.max_age));
  std::string to = r.mail_to.empty() ? options.notification_email : r.mail_to;
  if (r.mail && to.empty())
    return fail(ExitStatus::config, "digest --mail: no recipient: set notification_email in "
                                    "backup_settings (the UI) or give --mail-to");
  // Each target's repository size now, asked of borg while the catalog answers.
  OM_TRY(targets, config::resolve_targets(options));
  auto sizes = ask_repository_totals(options, targets);
  OM_TRY(data, collect_digest(catalog, options, since, now));
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (auto totals = sizes[i].get())
      data.repository_now[targets[i].name] = totals->unique_csize;
  }
  const auto* tz = date::current_zone();
  const auto view = view_of(data, max_age, tz);
  const auto host = util::host_name();
  if (!r.html.empty()) {
    OM_TRY(svgs, render_charts(view, data, ChartFormat::svg, r.gnuplot));
    auto page = render_digest(data, view, svgs, ChartEmbedding::inline_svg, host, max_age);
    OM_TRY_VOID(util::write_file_atomic(r.html, page.html, 0644));
  }
  if (r.mail) {
    OM_TRY(pngs, render_charts(view, data, ChartFormat::png, r.gnuplot));
    auto mail = render_digest(data, view, pngs, ChartEmbedding::mail_cid, host, max_age);
    if (auto sent = mail::send(r.sendmail, digest_message(mail, pngs, to, util::uuid_v4())); !sent)
      return std::unexpected(sent.error().context("sending the digest to " + to));
  }
  if (r.html.empty() && !r.mail) {
    auto text = render_digest(data, view, {}, ChartEmbedding::inline_svg, host, max_age);
    std::fputs(text.text.c_str(), stdout);
  }
  return {};
}

} // namespace om::report
