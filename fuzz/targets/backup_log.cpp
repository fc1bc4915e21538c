// Backup logs as om-backup-sync ingests them (the old script's and om-backup-run's): the whole
// file, and the file as it was when a run was still writing it (a prefix: a log that grew is
// read again whole). What is read is sane whatever the bytes.
#include <cmath>

#include <date/tz.h>

#include <om/sync/log_summary.hpp>
#include <om/util/strings.hpp>

#include "check.hpp"

namespace om::fuzz {
namespace {

void read(std::string_view text, const date::time_zone* tz) {
  auto s = sync::parse_backup_log(text, tz);
  check(s.fingerprint.empty() || util::is_hex(s.fingerprint, 64),
        "a fingerprint that is not 64 hex");
  check(!s.duration_s || (std::isfinite(*s.duration_s) && *s.duration_s >= 0),
        "a bad duration");
  check(!s.nfiles || *s.nfiles >= 0, "a negative file count");
  if (auto error = s.error_text())
    check(!error->empty(), "an empty error text");
  if (s.outcome == sync::LogSummary::Outcome::failed)
    check(s.error_text().has_value(), "a failed run without an error");
}

} // namespace

void backup_log(std::string_view input) {
  if (input.empty())
    return;
  static const auto* zone = date::locate_zone("Europe/Berlin"); // has DST gaps and overlaps
  const auto cut = static_cast<unsigned char>(input.front());
  const auto text = input.substr(1);
  read(text, zone);
  read(text.substr(0, text.size() * cut / 255), zone);
}

} // namespace om::fuzz
