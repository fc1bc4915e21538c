#include <om/run/change_recording.hpp>

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <om/changes/borg_diff.hpp>
#include <om/changes/change_store.hpp>
#include <om/run/borg_create.hpp>
#include <om/util/strings.hpp>

namespace om::run {
namespace {

std::optional<changes::FileIndex> usable_index(const std::string& path) {
  auto loaded = changes::load_index(path);
  if (loaded)
    return *loaded;
  spdlog::info("file index {} is not used: {}", path, loaded.error().message);
  return std::nullopt;
}

// The previous archive of this target by this host; nullopt when there is none, or when the
// catalog cannot say (then `known` is false).
std::optional<std::string> previous_of(const BorgBackup& b, bool& known) {
  known = false;
  if (b.store == nullptr)
    return std::nullopt;
  const auto& record = b.recorder.record();
  auto previous = changes::previous_archive(b.store->catalog(), b.target.name, b.plan.repo,
                                            record.details.host, record.job.id);
  if (!previous) {
    spdlog::info("changes: the previous archive is unknown ({})", previous.error().message);
    return std::nullopt;
  }
  known = true;
  return *previous;
}

std::string describe(const changes::Summary& s) {
  return std::to_string(s.added_files) + " added (" + util::human_bytes(s.added_bytes) + "), " +
         std::to_string(s.modified_files) + " modified (" + util::human_bytes(s.modified_bytes) +
         "), " + std::to_string(s.removed_files) + " removed (" +
         util::human_bytes(s.removed_bytes) + ")";
}

} // namespace

ChangeRecording::ChangeRecording(const BorgBackup& b)
    : m_b(b), m_index_path(changes::index_path(b.options.state_dir, b.target.name)),
      m_collector(std::nullopt, b.plan.dump_name) {
  auto index = usable_index(m_index_path);
  bool known = false;
  m_previous = previous_of(b, known);
  if (index && index->repository == b.plan.repo &&
      (!known || (m_previous && *m_previous == index->archive))) {
    m_basis = "files";
    m_previous = index->archive;
    m_collector = changes::ChangeCollector(std::move(index), b.plan.dump_name);
  } else if (m_previous) {
    m_basis = "diff";
  } else {
    m_basis = "first";
    m_collector = changes::ChangeCollector(changes::FileIndex{}, b.plan.dump_name);
  }
}

std::optional<changes::Summary>
ChangeRecording::diff_with_previous(const std::string& archive,
                                    const changes::FileIndex& index) const {
  changes::Summary summary;
  summary.basis = "diff";
  summary.previous_archive = m_previous;
  std::string bad;
  auto diff = m_b.client.run(
      {"diff", "--json-lines", m_b.plan.repo + "::" + *m_previous, archive},
      log_to_job(nullptr, m_b.target.name == config::k_local_target ? "" : m_b.target.name),
      [&](std::string_view line) {
        auto found = changes::parse_diff_line(line, false);
        if (!found) {
          bad = found.error().message;
          return;
        }
        for (auto& c : *found) {
          // Regular files only, as for the other bases: the index knows their sizes now.
          auto now = index.files.find("/" + c.path);
          if (c.change == "modified" && now != index.files.end())
            c.size_after = now->second.size;
          const bool file =
              c.change == "modified" ? now != index.files.end() : (c.size_before || c.size_after);
          if (file && (c.change == "added" || c.change == "removed" || c.change == "modified"))
            summary.add(std::move(c));
        }
      });
  if (!diff || !diff->ok()) {
    spdlog::info("changes not recorded: borg diff failed: {}",
                 diff ? diff->error().message : diff.error().message);
    return std::nullopt;
  }
  if (!bad.empty()) {
    spdlog::info("changes not recorded: {}", bad);
    return std::nullopt;
  }
  return summary;
}

void ChangeRecording::finish(const std::string& archive) {
  auto result = m_collector.finish(m_b.plan.repo, archive);
  if (result.unreadable > 0) {
    spdlog::info("changes not recorded: {} file names borg printed could not be read; the file "
                 "index is dropped (the next backup compares with borg diff)",
                 result.unreadable);
    ::unlink(m_index_path.c_str());
    return;
  }
  std::optional<changes::Summary> summary = std::move(result.summary);
  if (m_basis == "first" && summary) {
    summary->basis = "first";
    summary->previous_archive.reset();
  } else if (m_basis == "diff" && result.index) {
    summary = diff_with_previous(archive, *result.index);
  }
  if (result.index) {
    if (auto saved = changes::save_index(m_index_path, *result.index); !saved)
      spdlog::warn("file index {}: {}", m_index_path, saved.error().message);
  }
  if (!summary)
    return;
  spdlog::info("changes since {}: {}", summary->previous_archive.value_or("(none: first backup)"),
               describe(*summary));
  if (m_b.store == nullptr)
    return;
  if (auto saved = changes::save_summary(m_b.store->catalog(), m_b.recorder.job_id(),
                                         m_b.target.name, *summary);
      !saved)
    spdlog::warn("recording the changes: {}", saved.error().message);
}

} // namespace om::run
