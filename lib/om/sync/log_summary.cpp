#include <om/sync/log_summary.hpp>

#include <charconv>
#include <cmath>

#include <om/util/strings.hpp>
#include <om/util/time.hpp>
#include <om/util/uuid.hpp>

namespace om::sync {
namespace {

// "[2026-11-26 15:55:52] message" → time and message.
bool split_timestamped(std::string_view line, std::string_view& stamp, std::string_view& message) {
  if (line.size() < 21 || line.front() != '[' || line[20] != ']')
    return false;
  stamp = line.substr(1, 19);
  message = util::trim(line.substr(21));
  return true;
}

// "Time (start): Thu, 2026-11-26 15:55:53" → the date and time part.
std::string_view borg_time(std::string_view value) {
  auto comma = value.find(", ");
  return util::trim(comma == std::string_view::npos ? value : value.substr(comma + 2));
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// Lines that mean the run failed, in the script's words or borg's.
bool is_error_line(std::string_view m) {
  return m.starts_with("ERROR") || contains(m, "Backup FAILED") ||
         contains(m, "terminating with error status") || contains(m, "is incorrect") ||
         contains(m, "Failed to create/acquire the lock") || contains(m, "does not exist.") ||
         contains(m, "can not acquire a passphrase") || m.starts_with("Error:") ||
         contains(m, "Traceback (most recent call last)");
}

// borg's per-file warnings in --stats output: "<path>: [Errno 2] …", "… changed while we backed it
// up".
bool is_warning_line(std::string_view m) {
  return (contains(m, ": [Errno ") || contains(m, "file changed while we backed it up") ||
          m.starts_with("Warning:") || m.starts_with("WARNING")) &&
         !contains(m, "Password input may be echoed");
}

// om-backup-run's header: "om-backup-run 0.1.0: job <uuid> kind borg host h pid n".
std::optional<std::string_view> om_header_job(std::string_view m) {
  if (!m.starts_with("om-backup-run "))
    return std::nullopt;
  auto at = m.find(": job ");
  if (at == std::string_view::npos || m.size() < at + 6 + 36)
    return std::nullopt;
  auto id = m.substr(at + 6, 36);
  return util::is_uuid(id) ? std::optional(id) : std::nullopt;
}

// The legacy script's first line: "Starting backup (pid 8154, host vm)".
std::optional<std::string_view> start_line_host(std::string_view m) {
  if (!m.starts_with("Starting backup (pid "))
    return std::nullopt;
  auto at = m.find(", host ");
  auto end = m.rfind(')');
  if (at == std::string_view::npos || end == std::string_view::npos || end <= at + 7)
    return std::nullopt;
  return m.substr(at + 7, end - at - 7);
}

} // namespace

std::optional<std::string> LogSummary::error_text() const {
  if (outcome == Outcome::failed)
    return errors.empty() ? std::string("the run failed (see its log)") : errors.front();
  if (!warnings.empty())
    return util::summarize_warnings(warnings);
  return std::nullopt;
}

namespace {

// borg's "Duration:" text ("2.50 seconds", "1 hours 5 minutes 2.50 seconds", "3 days …"):
// nullopt unless every part is a finite, non-negative number with a known unit and the whole
// is under 100 years.
std::optional<double> borg_duration(std::string_view text) {
  std::vector<std::string_view> words;
  for (auto w : util::split(util::trim(text), ' ')) {
    if (!w.empty())
      words.push_back(w);
  }
  if (words.empty() || words.size() % 2 != 0)
    return std::nullopt;
  double total = 0;
  for (std::size_t i = 0; i < words.size(); i += 2) {
    double n = 0;
    auto [end, ec] = std::from_chars(words[i].data(), words[i].data() + words[i].size(), n);
    if (ec != std::errc() || end != words[i].data() + words[i].size() || !std::isfinite(n) || n < 0)
      return std::nullopt;
    auto unit = words[i + 1];
    if (unit.ends_with('s'))
      unit.remove_suffix(1);
    if (unit == "second")
      total += n;
    else if (unit == "minute")
      total += n * 60;
    else if (unit == "hour")
      total += n * 3600;
    else if (unit == "day")
      total += n * 86400;
    else
      return std::nullopt;
  }
  if (total > 100.0 * 365 * 86400)
    return std::nullopt;
  return total;
}

// The lines of `borg create --stats` the summary keeps; returns whether `message` was one.
bool read_borg_stats(std::string_view message, const date::time_zone* tz, LogSummary& s) {
  if (message.starts_with("Repository: ")) {
    s.repository = std::string(util::trim(message.substr(12)));
  } else if (message.starts_with("Archive name: ")) {
    s.archive_name = std::string(util::trim(message.substr(14)));
  } else if (message.starts_with("Archive fingerprint: ")) {
    auto fp = util::trim(message.substr(21));
    if (util::is_hex(fp, 64))
      s.fingerprint = std::string(fp);
  } else if (message.starts_with("Time (start): ")) {
    if (auto t = util::parse_local_time(borg_time(message.substr(14)), tz))
      s.archive_start = *t;
  } else if (message.starts_with("Time (end):")) {
    if (auto t = util::parse_local_time(borg_time(message.substr(11)), tz))
      s.archive_end = *t;
  } else if (message.starts_with("Duration: ")) {
    s.duration_s = borg_duration(message.substr(10));
  } else if (message.starts_with("Number of files: ")) {
    if (auto n = util::parse_int(util::trim(message.substr(17))); n && *n >= 0)
      s.nfiles = n;
  } else {
    return false;
  }
  return true;
}

} // namespace

LogSummary parse_backup_log(std::string_view text, const date::time_zone* tz) {
  LogSummary s;
  bool completed = false;
  bool failed = false;
  std::vector<std::string> generic_errors;
  for (auto raw : util::split(text, '\n')) {
    auto line = util::trim(raw);
    if (line.empty())
      continue;
    std::string_view stamp;
    std::string_view message = line;
    if (split_timestamped(line, stamp, message)) {
      if (auto t = util::parse_local_time(stamp, tz)) {
        if (!s.first_time)
          s.first_time = *t;
        s.last_time = *t;
      }
    }
    if (auto id = om_header_job(message); !s.om_job_id && id) {
      s.om_job_id = std::string(*id);
      continue;
    }
    if (auto host = start_line_host(message); s.host.empty() && host) {
      s.host = std::string(*host);
      continue;
    }
    if (read_borg_stats(message, tz, s))
      continue;
    if (contains(message, "completed successfully") || contains(message, "backup finished")) {
      completed = true;
    } else if (is_error_line(message)) {
      failed = true;
      // "ERROR: borg create exited with rc 2" repeats what borg said: keep borg's words first.
      bool generic = message.starts_with("ERROR: borg") || contains(message, "Backup FAILED") ||
                     contains(message, "terminating with error status");
      (generic ? generic_errors : s.errors)
          .emplace_back(message.starts_with("ERROR: ") ? message.substr(7) : message);
    } else if (is_warning_line(message)) {
      s.warnings.emplace_back(message);
    }
  }
  s.errors.insert(s.errors.end(), generic_errors.begin(), generic_errors.end());
  // borg's fingerprint proves the archive was written, whatever the script said after it.
  if (!s.fingerprint.empty() || (completed && !failed))
    s.outcome = LogSummary::Outcome::success;
  else if (failed)
    s.outcome = LogSummary::Outcome::failed;
  return s;
}

} // namespace om::sync
