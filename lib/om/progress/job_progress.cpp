#include <om/progress/job_progress.hpp>

#include <chrono>

#include <spdlog/spdlog.h>

#include <om/progress/progress_store.hpp>
#include <om/util/time.hpp>

namespace om::progress {
namespace {

constexpr auto k_interval = std::chrono::seconds(1);
// After a failed write, the catalog is left alone this long (a connect may take seconds).
constexpr std::int64_t k_retry_after_ms = 5000;

// The progress connection gives up fast: it only ever loses an update.
db::ConnectionOptions quick(db::ConnectionOptions where) {
  where.connect_timeout_s = 3;
  where.read_timeout_s = 5;
  return where;
}

} // namespace

JobProgress::~JobProgress() {
  stop();
}

void JobProgress::start(db::ConnectionOptions where, const std::string& job_id, jobs::Kind kind,
                        std::string target) {
  RowWriter row;
  row.save = [job_id](db::Catalog& catalog, const Snapshot& s) { return save(catalog, job_id, s); };
  row.previous_ms = [job_id, kind, target = std::move(target)](db::Catalog& catalog) {
    return previous_duration_ms(catalog, kind, target, job_id);
  };
  start(std::move(where), std::move(row));
}

void JobProgress::start(db::ConnectionOptions where, RowWriter row) {
  {
    std::lock_guard lock(m_mutex);
    m_started_ms = util::monotonic_ms();
    m_state.started_at = util::now_unix();
    if (m_state.phase.empty())
      m_state.phase = "start";
  }
  m_thread = std::thread(
      [this, where = quick(std::move(where)), row = std::move(row)] { run(where, row); });
}

void JobProgress::phase(std::string_view name) {
  std::lock_guard lock(m_mutex);
  m_state.phase = std::string(name);
  m_state.current_path.clear();
}

void JobProgress::phase_after(std::string_view current, std::string_view next) {
  std::lock_guard lock(m_mutex);
  if (m_state.phase == current) {
    m_state.phase = std::string(next);
    m_state.current_path.clear();
  }
}

void JobProgress::counts(std::int64_t files, std::int64_t bytes, std::int64_t compressed,
                         std::int64_t deduplicated, std::string_view path) {
  std::lock_guard lock(m_mutex);
  m_state.files = files;
  m_state.bytes_processed = bytes;
  m_state.compressed_bytes = compressed;
  m_state.deduplicated_bytes = deduplicated;
  m_state.current_path.assign(path);
}

void JobProgress::bytes(std::int64_t processed) {
  std::lock_guard lock(m_mutex);
  m_state.bytes_processed = processed;
}

void JobProgress::position(std::int64_t done, std::int64_t total, std::string_view path) {
  std::lock_guard lock(m_mutex);
  m_state.bytes_processed = done;
  m_state.bytes_total = total;
  if (!path.empty())
    m_state.current_path.assign(path);
}

Snapshot JobProgress::snapshot() const {
  std::lock_guard lock(m_mutex);
  return m_state;
}

std::optional<Snapshot> JobProgress::finish(jobs::Status status) {
  {
    std::lock_guard lock(m_mutex);
    m_last_write = false;
    m_state.status = std::string(jobs::to_string(status));
    m_state.phase = "done";
    m_state.current_path.clear();
    if (status == jobs::Status::success) {
      m_state.percent = 100.0;
      m_state.eta_seconds = 0;
      if (m_state.bytes_total) // progress comes in steps: the last may be short of the whole
        m_state.bytes_processed = *m_state.bytes_total;
    } else {
      m_state.eta_seconds.reset();
    }
  }
  const bool started = m_thread.joinable();
  stop();
  if (!started)
    return std::nullopt;
  return snapshot();
}

void JobProgress::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  if (m_thread.joinable())
    m_thread.join();
}

void JobProgress::run(const db::ConnectionOptions& where, const RowWriter& row) {
  std::optional<db::Catalog> catalog;
  std::optional<std::int64_t> previous_ms;
  bool asked_previous = false;
  std::int64_t quiet_until_ms = 0;
  bool paused_said = false;
  // Any failure drops the connection and pauses the updates for a while.
  auto fail = [&](const std::string& why) {
    catalog.reset();
    quiet_until_ms = util::monotonic_ms() + k_retry_after_ms;
    if (!paused_said)
      spdlog::info("progress updates paused: {}", why);
    paused_said = true;
  };
  // Connected (the first time, the previous job's duration asked too), unless pausing.
  auto connected = [&] {
    if (!catalog && util::monotonic_ms() >= quiet_until_ms) {
      if (auto c = db::Catalog::connect(where); c)
        catalog.emplace(std::move(*c));
      else
        fail(c.error().message);
    }
    if (catalog && !asked_previous && row.previous_ms) {
      asked_previous = true;
      auto previous = row.previous_ms(*catalog);
      previous_ms = previous ? *previous : std::nullopt;
    }
    return catalog.has_value();
  };

  std::unique_lock lock(m_mutex);
  // The first write after a second of work: a job that ends sooner has its row written with its
  // end (and the job's own first writes never queue behind ours).
  m_wake.wait_for(lock, k_interval, [this] { return m_stopping; });
  while (true) {
    const bool last = m_stopping;
    if (last && !m_last_write)
      return; // the end goes with the job's own record
    Snapshot s = m_state;
    const auto elapsed = util::monotonic_ms() - m_started_ms;
    lock.unlock();
    if (connected()) {
      auto e = s.bytes_total ? estimate_from_bytes(elapsed, s.bytes_processed, *s.bytes_total)
                             : estimate(elapsed, previous_ms);
      s.percent = e.percent;
      s.eta_seconds = e.eta_seconds;
      if (auto saved = row.save(*catalog, s); !saved) {
        fail(saved.error().message);
      } else if (paused_said) {
        spdlog::info("progress updates resumed");
        paused_said = false;
      }
    }
    lock.lock();
    if (last)
      return;
    m_wake.wait_for(lock, k_interval, [this] { return m_stopping; });
  }
}

} // namespace om::progress
