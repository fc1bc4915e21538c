#include <om/report/diff.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <om/borg/commands.hpp>
#include <om/borg/target_client.hpp>
#include <om/changes/borg_diff.hpp>
#include <om/changes/change_store.hpp>
#include <om/changes/tar_listing.hpp>
#include <om/config/target.hpp>
#include <om/proc/run.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>

namespace om::report {
namespace {

// One side of a comparison: a borg archive in a repository, or a legacy tar.
struct Side {
  std::string label; // as the user named it
  std::string job_id;
  std::string repo;    // borg
  std::string archive; // borg
  std::string tar;     // legacy files
  [[nodiscard]] bool is_borg() const { return !archive.empty(); }
};

bool looks_like_job_id(std::string_view text) {
  return text.size() == 36 && std::ranges::all_of(text, [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
         });
}

Result<config::Target> target_named(const config::Options& options,
                                    const std::optional<std::string>& name) {
  OM_TRY(targets, config::resolve_targets(options));
  const std::string wanted = name.value_or(config::k_local_target);
  for (auto& t : targets) {
    if (t.name == wanted)
      return t;
  }
  if (!name && !targets.empty())
    return targets.front();
  return fail(ExitStatus::usage, "no target named '" + wanted + "' is configured");
}

// "REPO::ARCHIVE" of an artifact row.
std::pair<std::string, std::string> split_location(const std::string& location) {
  auto sep = location.rfind("::");
  if (sep == std::string::npos)
    return {location, ""};
  return {location.substr(0, sep), location.substr(sep + 2)};
}

// The side a job is: its borg archive in `repo` (or its only one), or its files tar.
Result<Side> side_of_job(db::Catalog& catalog, const std::string& id, const std::string& kind,
                         const std::optional<std::string>& repo) {
  Side side;
  side.label = id;
  side.job_id = id;
  if (kind == "db" || kind == "copy")
    return fail("job " + id + " is a " + kind + " job: it holds no files to compare");
  const bool borg = kind == "borg";
  OM_TRY(rows, catalog.query("SELECT file_path FROM backup_artifacts WHERE job_id = ? AND "
                             "artifact_type = ? ORDER BY created_at, id",
                             {id, std::string(borg ? "borg" : "files")}));
  for (const auto& row : rows) {
    auto path = row.text(0);
    if (!borg) {
      side.tar = path;
      return side;
    }
    auto [r, archive] = split_location(path);
    if (!repo || r == *repo) {
      side.repo = r;
      side.archive = archive;
      return side;
    }
  }
  return fail("job " + id + " has no " + (borg ? "archive" : "files backup") +
              (repo && borg ? " in " + *repo : std::string()) +
              " any more (pruned or deleted): there is nothing to compare");
}

Result<std::string> kind_of_job(db::Catalog& catalog, const std::string& id) {
  OM_TRY(row, catalog.query_one("SELECT kind FROM backup_jobs WHERE id = ?", {id}));
  if (!row)
    return fail("no job " + id + " in backup_jobs");
  return row->text(0);
}

// The newest successful job of the same kind, host (and repository) before `side`'s job that
// still has what to compare with.
Result<Side> previous_side(db::Catalog& catalog, const Side& side, const std::string& kind) {
  const bool borg = side.is_borg();
  OM_TRY(row,
         catalog.query_one(
             "SELECT a.job_id, a.file_path FROM backup_artifacts a "
             "JOIN backup_jobs j ON j.id = a.job_id "
             "JOIN backup_jobs me ON me.id = ? "
             "LEFT JOIN backup_job_runs r ON r.job_id = j.id "
             "LEFT JOIN backup_job_runs mr ON mr.job_id = me.id "
             "WHERE a.artifact_type = ? AND j.status = 'success' AND j.id <> me.id AND "
             "j.created_at <= me.created_at AND (r.host <=> mr.host) AND "
             "(? = '' OR LEFT(a.file_path, CHAR_LENGTH(?) + 2) = CONCAT(?, '::')) "
             "ORDER BY j.created_at DESC, j.id DESC LIMIT 1",
             {side.job_id, std::string(borg ? "borg" : "files"), side.repo, side.repo, side.repo}));
  if (!row)
    return fail("job " + side.job_id + " has no earlier " + kind +
                " backup of this host still there to compare with");
  Side previous;
  previous.job_id = row->text(0);
  previous.label = previous.job_id;
  if (borg) {
    auto [r, archive] = split_location(row->text(1));
    previous.repo = r;
    previous.archive = archive;
  } else {
    previous.tar = row->text(1);
  }
  return previous;
}

// A job (its archive in `job_repo` when given, else its only or first one), or an archive
// name in `repo`.
Result<Side> resolve(db::Catalog& catalog, const std::string& name,
                     const std::optional<std::string>& repo,
                     const std::optional<std::string>& job_repo, std::string* kind_out) {
  if (looks_like_job_id(name)) {
    OM_TRY(kind, kind_of_job(catalog, name));
    if (kind_out != nullptr)
      *kind_out = kind;
    return side_of_job(catalog, name, kind, job_repo);
  }
  if (!repo)
    return fail(ExitStatus::usage, "'" + name + "' is not a job id, and no repository is set");
  Side side;
  side.label = name;
  side.repo = *repo;
  side.archive = name;
  if (kind_out != nullptr)
    *kind_out = "borg";
  return side;
}

// --path as a prefix of what borg or tar call the path (no leading /).
std::vector<std::string> relative_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (auto p : paths) {
    while (p.starts_with('/'))
      p.erase(0, 1);
    while (p.size() > 1 && p.ends_with('/'))
      p.pop_back();
    out.push_back(p);
  }
  return out;
}

bool under(std::string_view path, const std::vector<std::string>& prefixes) {
  if (prefixes.empty())
    return true;
  return std::ranges::any_of(prefixes, [&](const std::string& p) {
    return p.empty() || path == p || (path.starts_with(p) && path[p.size()] == '/');
  });
}

// Rows as they come: JSON lines at once; a table or CSV once all are known.
class Output {
public:
  explicit Output(util::Format format) : m_format(format) {
    m_table.columns = {"path", "change", "size_before", "size_after"};
  }
  void add(const changes::Change& c) {
    auto size = [](const std::optional<std::int64_t>& v) -> util::Cell {
      return v ? util::Cell(*v) : util::Cell(std::monostate{});
    };
    if (m_format == util::Format::json) {
      util::JsonWriter w;
      changes::write_change(w, c);
      std::fputs((w.str() + "\n").c_str(), stdout);
      return;
    }
    m_table.rows.push_back({c.path, c.change, size(c.size_before), size(c.size_after)});
  }
  void finish() {
    if (m_format != util::Format::json)
      std::fputs(util::render(m_table, m_format).c_str(), stdout);
  }

private:
  util::Format m_format;
  util::Table m_table;
};

Result<void> diff_archives(const config::Options& options, const config::Target& target,
                           const Side& a, const Side& b, const DiffRequest& r, Output& out) {
  if (a.repo != b.repo)
    return fail("archives of different repositories are not compared (" + a.repo + ", " + b.repo +
                ")");
  auto t = target;
  t.repo = a.repo;
  OM_TRY(client, borg::client_for(t, options.borg_command, std::chrono::hours(24)));
  auto args =
      borg::cmd::diff(borg::cmd::location(a.repo, a.archive), b.archive, relative_paths(r.paths));
  std::string bad;
  OM_TRY(diff, client.run(
                   args, [](const borg::LogLine&) {},
                   [&](std::string_view line) {
                     if (!bad.empty())
                       return;
                     auto found = changes::parse_diff_line(line, r.all);
                     if (!found) {
                       bad = found.error().message;
                       return;
                     }
                     for (const auto& c : *found)
                       out.add(c);
                   }));
  if (!diff.ok())
    return fail(diff.error().message);
  if (!bad.empty())
    return fail(bad);
  return {};
}

Result<changes::TarListing> list_tar(const std::string& path) {
  if (!std::filesystem::exists(path))
    return fail(path + " is gone (pruned or deleted): there is nothing to compare");
  proc::Command tar;
  tar.argv = {
      "tar",    "--list", "--verbose", "--full-time", "--numeric-owner", "--quoting-style=c",
      "--file", path};
  changes::TarListing listing;
  std::string bad;
  std::string error;
  proc::Streams streams;
  streams.on_stdout_line = [&](std::string_view line) {
    if (bad.empty()) {
      if (auto added = changes::add_tar_line(line, listing); !added)
        bad = added.error().message;
    }
  };
  streams.on_stderr_line = [&](std::string_view line) {
    if (error.empty())
      error = util::first_line(line);
  };
  OM_TRY(outcome, proc::run(tar, streams));
  if (!outcome.success())
    return fail("listing " + path + ": " + (error.empty() ? "tar " + outcome.describe() : error));
  if (!bad.empty())
    return fail(path + ": " + bad);
  return listing;
}

Result<void> diff_tars(const Side& a, const Side& b, const DiffRequest& r, Output& out) {
  OM_TRY(before, list_tar(a.tar));
  OM_TRY(after, list_tar(b.tar));
  const auto paths = relative_paths(r.paths);
  for (const auto& c : changes::compare_listings(before, after, r.all)) {
    if (under(c.path, paths))
      out.add(c);
  }
  return {};
}

} // namespace

Result<void> run_diff(db::Catalog& catalog, const config::Options& options, const DiffRequest& r) {
  OM_TRY(target, target_named(options, r.target));
  std::optional<std::string> repo;
  if (!target.repo.empty())
    repo = target.repo;
  // A job names its own repository: --target's only chooses among several.
  const auto job_repo = r.target ? repo : std::nullopt;
  std::string kind;
  OM_TRY(from, resolve(catalog, r.from, repo, job_repo, &kind));
  Side a;
  Side b;
  if (r.to) {
    std::string kind_to;
    const auto same_repo = from.is_borg() ? std::optional(from.repo) : repo;
    OM_TRY(to, resolve(catalog, *r.to, same_repo, from.is_borg() ? same_repo : job_repo, &kind_to));
    if (from.is_borg() != to.is_borg())
      return fail("a borg archive and a legacy files backup are not compared: their paths "
                  "and contents are laid out differently");
    a = from;
    b = to;
  } else {
    if (from.job_id.empty())
      return fail(ExitStatus::usage,
                  "diff ARCHIVE needs a second archive; a job alone is compared with the "
                  "previous backup");
    OM_TRY(previous, previous_side(catalog, from, kind));
    a = previous;
    b = from;
  }
  Output out(r.format);
  if (a.is_borg())
    OM_TRY_VOID(diff_archives(options, target, a, b, r, out));
  else
    OM_TRY_VOID(diff_tars(a, b, r, out));
  out.finish();
  return {};
}

} // namespace om::report
