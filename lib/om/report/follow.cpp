#include <om/report/follow.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <unistd.h>

#include <date/tz.h>

#include <om/jobs/job.hpp>
#include <om/log/progress_line.hpp>
#include <om/proc/interrupt.hpp>
#include <om/progress/progress_store.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {
namespace {

constexpr auto k_poll = std::chrono::milliseconds(500);
// A catalog that stops answering is waited for this long before following gives up (69).
constexpr int k_unreachable_polls = 120;

struct JobState {
  std::string id;
  jobs::Status status = jobs::Status::queued;
  std::optional<std::string> error;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::string> log_path;
};

Result<std::optional<JobState>> load_job(db::Catalog& catalog, const std::string& id) {
  OM_TRY(row, catalog.query_one("SELECT j.id, j.status, j.error, j.duration_ms, r.log_path "
                                "FROM backup_jobs j LEFT JOIN backup_job_runs r ON "
                                "r.job_id = j.id WHERE j.id = ?",
                                {id}));
  if (!row)
    return std::optional<JobState>{};
  JobState s;
  s.id = row->text(0);
  s.status = jobs::parse_status(row->text_view(1)).value_or(jobs::Status::failed);
  s.error = row->opt_text(2);
  s.duration_ms = row->opt_integer(3);
  s.log_path = row->opt_text(4);
  return std::optional<JobState>(std::move(s));
}

// What following sees of a job, or of a restore (backup_restores: its own row and progress).
struct Observed {
  JobState state;
  std::optional<progress::Snapshot> progress;
};

Result<std::optional<Observed>> load_restore(db::Catalog& catalog, const std::string& id) {
  // Its progress in the columns progress::read_snapshot reads (a restore counts no files).
  OM_TRY(row, catalog.query_one(
                  "SELECT status, error, duration_ms, log_path, status, phase, 0, bytes_processed, "
                  "0, 0, current_path, percent, eta_seconds, UNIX_TIMESTAMP(started_at), "
                  "UNIX_TIMESTAMP(updated_at) FROM backup_restores WHERE id = ?",
                  {id}));
  if (!row)
    return std::optional<Observed>{};
  Observed o;
  o.state.id = id;
  o.state.status = jobs::parse_status(row->text_view(0)).value_or(jobs::Status::failed);
  o.state.error = row->opt_text(1);
  o.state.duration_ms = row->opt_integer(2);
  o.state.log_path = row->opt_text(3);
  o.progress = progress::read_snapshot(*row, 4);
  return std::optional<Observed>(std::move(o));
}

// The job `id` with its progress row, else the restore `id`; nullopt when neither exists.
Result<std::optional<Observed>> observe(db::Catalog& catalog, const std::string& id) {
  OM_TRY(job, load_job(catalog, id));
  if (!job)
    return load_restore(catalog, id);
  OM_TRY(snapshot, progress::load(catalog, id));
  return std::optional<Observed>(Observed{std::move(*job), std::move(snapshot)});
}

// The running job to follow: the newest started, of `host` when given.
Result<std::optional<std::string>> running_job(db::Catalog& catalog,
                                               const std::optional<std::string>& host) {
  OM_TRY(row, host ? catalog.query_one("SELECT j.id FROM backup_jobs j JOIN backup_job_runs r ON "
                                       "r.job_id = j.id WHERE j.status = 'running' AND "
                                       "r.host = ? ORDER BY j.created_at DESC LIMIT 1",
                                       {*host})
                   : catalog.query_one("SELECT id FROM backup_jobs WHERE status = 'running' "
                                       "ORDER BY created_at DESC LIMIT 1"));
  if (!row)
    return std::optional<std::string>{};
  return row->opt_text(0);
}

bool ended(jobs::Status s) {
  return s == jobs::Status::success || s == jobs::Status::failed || s == jobs::Status::cancelled;
}

ExitStatus exit_of(const JobState& job) {
  switch (job.status) {
  case jobs::Status::success:
    return job.error ? ExitStatus::warning : ExitStatus::ok;
  case jobs::Status::cancelled:
    return ExitStatus::interrupted;
  default:
    return ExitStatus::failed;
  }
}

// Prints events as JSON lines, or for a person at a terminal.
class Printer {
public:
  Printer(bool json, std::string job_id)
      : m_json(json), m_job(std::move(job_id)), m_line(!json && ::isatty(STDERR_FILENO) != 0) {}

  [[nodiscard]] bool reader_gone() const { return m_reader_gone; }

  void phase(const std::string& phase) {
    if (m_json)
      return emit(start("phase").field("phase", phase));
    m_line.clear();
    std::printf("== %s\n", phase.c_str());
  }

  void progress(const progress::Snapshot& s) {
    if (m_json) {
      auto w = start("progress");
      w.field("status", s.status)
          .field("phase", s.phase)
          .field("files", s.files)
          .field("bytes_processed", s.bytes_processed)
          .field("compressed_bytes", s.compressed_bytes)
          .field("deduplicated_bytes", s.deduplicated_bytes)
          .field("current_path", s.current_path)
          .field("percent", s.percent)
          .field("eta_seconds", s.eta_seconds);
      w.key("updated_at");
      if (s.updated_at)
        w.value(util::iso8601(*s.updated_at, date::current_zone()));
      else
        w.null();
      return emit(std::move(w));
    }
    std::string text = s.phase + ": " + std::to_string(s.files) + " files, " +
                       util::human_bytes(s.bytes_processed);
    if (s.percent)
      text += ", " + std::to_string(static_cast<int>(*s.percent)) + "%";
    if (s.eta_seconds)
      text += ", " + std::to_string(*s.eta_seconds) + " s left";
    if (!s.current_path.empty())
      text += "  " + s.current_path;
    m_line.message(text);
  }

  void log(std::string_view line) {
    if (m_json)
      return emit(start("log").field("line", line));
    m_line.clear();
    std::printf("%s\n", util::escape_controls(line).c_str());
  }

  void end(const JobState& job) {
    const auto code = to_int(exit_of(job));
    if (m_json) {
      auto w = start("end");
      w.field("status", std::string(jobs::to_string(job.status)))
          .field("error", job.error)
          .field("duration_ms", job.duration_ms)
          .field("exit_code", static_cast<std::int64_t>(code));
      return emit(std::move(w));
    }
    m_line.clear();
    std::printf("%s ended: %s%s%s (exit %d)\n", job.id.c_str(),
                std::string(jobs::to_string(job.status)).c_str(), job.error ? ": " : "",
                job.error ? util::escape_controls(*job.error).c_str() : "", code);
  }

private:
  util::JsonWriter start(std::string_view type) {
    util::JsonWriter w;
    w.begin_object().field("type", type).field("job_id", m_job);
    return w;
  }
  void emit(util::JsonWriter w) {
    w.end_object();
    std::fputs((w.str() + "\n").c_str(), stdout);
    // A pipe to the UI's backend: each line as it happens. A reader that went away (the
    // WebSocket closed) ends the following.
    if (std::fflush(stdout) != 0 && errno == EPIPE)
      m_reader_gone = true;
  }

  bool m_json;
  bool m_reader_gone = false;
  std::string m_job;
  log::ProgressLine m_line;
};

// The new complete lines of a log file since the last call.
class LogTail {
public:
  template <class F> void read(const std::optional<std::string>& path, F&& on_line) {
    if (!path)
      return;
    std::ifstream in(*path, std::ios::binary);
    if (!in)
      return;
    in.seekg(static_cast<std::streamoff>(m_offset));
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t start = 0;
    for (auto eol = chunk.find('\n'); eol != std::string::npos; eol = chunk.find('\n', start)) {
      on_line(std::string_view(chunk).substr(start, eol - start));
      start = eol + 1;
    }
    m_offset += start;
  }

private:
  std::size_t m_offset = 0;
};

// Waits for the job to follow: the one named, or the running one (or the next, with wait).
Result<std::string> choose_job(db::Catalog& catalog, const FollowRequest& r) {
  if (r.job_id)
    return *r.job_id;
  while (true) {
    OM_TRY(running, running_job(catalog, r.host));
    if (running)
      return *running;
    if (!r.wait)
      return fail("no job is running" + (r.host ? " on " + *r.host : std::string()) +
                  " (--wait waits for the next one)");
    if (proc::interrupted() != 0)
      return fail(ExitStatus::interrupted, "interrupted while waiting for a job");
    std::this_thread::sleep_for(k_poll);
  }
}

} // namespace

Result<ExitStatus> follow_job(db::Catalog& catalog, const FollowRequest& r) {
  OM_TRY(id, choose_job(catalog, r));
  Printer out(r.json, id);
  LogTail log;
  std::optional<progress::Snapshot> last;
  int unreachable = 0;
  bool first = true;
  while (true) {
    auto seen = observe(catalog, id);
    if (!seen) {
      if (++unreachable >= k_unreachable_polls)
        return fail(ExitStatus::unavailable, "following " + id + ": " + seen.error().message);
    } else {
      unreachable = 0;
      if (!*seen && !r.wait)
        return fail("no job or restore " + id + " in the catalog (--wait waits for it)");
    }
    if (seen && *seen) {
      const auto& state = (*seen)->state;
      const bool done = ended(state.status);
      // A job that had ended before we came: its end at once, not its whole log.
      if (!(first && done))
        log.read(state.log_path, [&out](std::string_view line) { out.log(line); });
      if (const auto& snapshot = (*seen)->progress) {
        const auto& s = *snapshot;
        if (!last || last->phase != s.phase)
          out.phase(s.phase);
        if (!last || last->updated_at != s.updated_at || last->files != s.files ||
            last->bytes_processed != s.bytes_processed || last->status != s.status)
          out.progress(s);
        last = s;
      }
      if (done) {
        out.end(state);
        return exit_of(state);
      }
    }
    first = false;
    if (out.reader_gone())
      return ExitStatus::ok; // nobody is listening any more
    if (proc::interrupted() != 0)
      return fail(ExitStatus::interrupted, "interrupted while following job " + id);
    std::this_thread::sleep_for(k_poll);
  }
}

} // namespace om::report
