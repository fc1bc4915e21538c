#include <om/run/change_recording.hpp>

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <om/borg/commands.hpp>
#include <om/changes/borg_diff.hpp>
#include <om/changes/change_store.hpp>
#include <om/run/borg_create.hpp>
#include <om/util/sha256.hpp>
#include <om/util/strings.hpp>

namespace om::run {
namespace {

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

// What chose the files: the sources and borg create's exclusion arguments (not --progress,
// the compression or the archive's name, which change nothing about which files are read).
std::string selection_of(const BorgPlan& plan) {
  std::string text;
  const auto& args = plan.create_args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (!arg.starts_with("--exclude") && !arg.starts_with("--pattern"))
      continue;
    text += arg + '\0';
    const bool takes_value = arg == "--exclude" || arg == "--exclude-from" || arg == "--pattern" ||
                             arg == "--patterns-from";
    if (takes_value && i + 1 < args.size())
      text += args[++i] + '\0';
  }
  for (const auto& source : plan.sources)
    text += "source " + source + '\0';
  return util::sha256_hex(text);
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
      m_selection(selection_of(b.plan)), m_collector(b.plan.dump_name) {
  bool known = false;
  m_previous = previous_of(b, known);
  auto header = changes::load_index_header(m_index_path);
  if (!header)
    spdlog::info("file index {} is not used: {}", m_index_path, header.error().message);
  const bool usable = header && *header && (*header)->repository == b.plan.repo &&
                      (*header)->selection == m_selection &&
                      (!known || (m_previous && *m_previous == (*header)->archive));
  if (usable) {
    m_basis = "files";
    m_previous = (*header)->archive;
    m_create_args = {"--list", "--filter", "AMCE"};
    m_sweep = std::async(std::launch::async, [path = m_index_path] {
      Swept s;
      auto index = changes::load_index(path);
      if (index && *index) {
        s.gone = changes::gone_files(**index);
        s.index = std::move(**index);
      }
      return s;
    });
  } else if (m_previous) {
    m_basis = "diff";
    m_create_args = {"--list"};
  } else {
    m_basis = "first";
  }
}

ChangeRecording::~ChangeRecording() {
  if (m_sweep.valid())
    m_sweep.wait();
}

std::optional<changes::Summary>
ChangeRecording::diff_with_previous(const std::string& archive,
                                    const changes::FileIndex& index) const {
  changes::Summary summary;
  summary.basis = "diff";
  summary.previous_archive = m_previous;
  std::string bad;
  auto diff = m_b.client.run(
      borg::cmd::diff(borg::cmd::location(m_b.plan.repo, *m_previous), archive, {}),
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

void ChangeRecording::record(const changes::Summary& summary) {
  spdlog::info("changes since {}: {}", summary.previous_archive.value_or("(none: first backup)"),
               describe(summary));
  // Part of the job's record: written with its end, in its transaction, or spooled with it.
  m_b.recorder.add_changes({m_b.target.name, summary});
  m_recorded = summary;
}

void ChangeRecording::finish(const std::string& archive, std::int64_t nfiles,
                             std::int64_t original_size) {
  if (m_basis == "first") {
    // No list was asked for: the archive's own totals (the dump, when there is one, is one of
    // its files). The next backup makes the index.
    changes::Summary s;
    s.basis = "first";
    s.added_files = nfiles;
    s.added_bytes = original_size;
    record(s);
    return;
  }
  if (m_collector.unreadable() > 0) {
    spdlog::info("changes not recorded: {} file names borg printed could not be read; the file "
                 "index is dropped (the next backup compares with borg diff)",
                 m_collector.unreadable());
    ::unlink(m_index_path.c_str());
    return;
  }
  std::optional<changes::FileIndex> index;
  std::optional<changes::Summary> summary;
  if (m_basis == "files") {
    auto swept = m_sweep.get();
    if (!swept.index) {
      spdlog::info("changes not recorded: the file index {} could not be read", m_index_path);
      ::unlink(m_index_path.c_str());
      return;
    }
    index = std::move(swept.index);
    summary = changes::compare_with_index(*index, m_collector.reported(), swept.gone);
  } else {
    index = changes::index_of(m_collector.reported());
    summary = diff_with_previous(archive, *index);
  }
  index->repository = m_b.plan.repo;
  index->archive = archive;
  index->selection = m_selection;
  if (auto saved = changes::save_index(m_index_path, *index); !saved)
    spdlog::warn("file index {}: {}", m_index_path, saved.error().message);
  if (summary)
    record(*summary);
}

} // namespace om::run
