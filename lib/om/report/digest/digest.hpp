#pragma once

#include <string>

#include <om/config/options.hpp>
#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

struct DigestRequest {
  std::string since = "30d";   // the period: WHEN up to now
  std::string max_age = "26h"; // a last success older is red
  std::string html;            // write the page here (atomically)
  bool mail = false;           // send it with sendmail
  std::string mail_to;         // default: backup_settings.notification_email
  std::string sendmail = "sendmail -t";
  std::string gnuplot = "gnuplot";
};

// om-backup-report digest (docs/report.md, "Weekly digest"): the page (--html FILE), the mail
// (--mail), or with neither the text version on stdout.
[[nodiscard]] Result<void> run_digest(db::Catalog& catalog, const config::Options& options,
                                      const DigestRequest& request);

} // namespace om::report
