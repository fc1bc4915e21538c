#include <om/sync/documents.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include <om/borg/client.hpp>
#include <om/borg/commands.hpp>
#include <om/borg/json_stream.hpp>
#include <om/borg/parse.hpp>
#include <om/borg/target_client.hpp>
#include <om/prune/borg_prune.hpp>
#include <om/util/fd.hpp>
#include <om/util/time.hpp>

namespace om::sync {
namespace {

// A --borg-*-json argument: a file, or "-" for standard input.
struct Input {
  util::Fd fd;
  [[nodiscard]] static Result<Input> open(const std::string& path) {
    if (path == "-")
      return Input{util::Fd(::dup(STDIN_FILENO))};
    util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
      return fail("opening " + path + ": " + std::strerror(errno));
    return Input{std::move(fd)};
  }
  [[nodiscard]] borg::ByteReader reader() const { return borg::fd_reader(fd.get()); }
};

// All of standard input (only when a document must be read twice and cannot be re-opened).
Result<std::string> read_stdin() {
  auto read = borg::fd_reader(STDIN_FILENO);
  std::string text;
  char buf[1 << 16];
  while (true) {
    OM_TRY(n, read(buf, sizeof buf));
    if (n == 0)
      return text;
    text.append(buf, n);
  }
}

// A listing (`borg list --json`, or `borg info --json` read as one), a piece at a time.
Result<ListedArchives> read_listing(const borg::ByteReader& read) {
  ListedArchives listing;
  bool saw_repository = false;
  OM_TRY(saw_archives, borg::walk_document(
                           read, {[&](std::string_view json) -> Result<void> {
                                    OM_TRY(ref, borg::parse_listed_archive(json));
                                    listing.add(ref);
                                    return {};
                                  },
                                  [&](std::string_view key, std::string_view json) -> Result<void> {
                                    if (key != "repository")
                                      return {};
                                    OM_TRY(repo, borg::parse_repository_member(json));
                                    listing.repository = std::move(repo);
                                    saw_repository = true;
                                    return {};
                                  }}));
  if (!saw_archives || !saw_repository)
    return fail(R"(borg list output has no "archives" or "repository": not a borg list --json)");
  return listing;
}

// Hands each archive of a `borg info --json` document to the sync as it is read.
Result<void> feed_info(const borg::ByteReader& read, ArchiveSync& sync) {
  OM_TRY(saw_archives, borg::walk_document(read, {[&](std::string_view json) -> Result<void> {
                                                    OM_TRY(archive, borg::parse_archive_info(json));
                                                    return sync.add(archive);
                                                  },
                                                  {}}));
  if (!saw_archives)
    return fail("borg info output has no \"archives\": not a borg info --json");
  return {};
}

// `feed` over a document held in memory (borg's output, or standard input read twice).
std::function<Result<void>(ArchiveSync&)> feed_from_memory(std::string text) {
  auto held = std::make_shared<const std::string>(std::move(text));
  return [held](ArchiveSync& sync) { return feed_info(borg::text_reader(*held), sync); };
}

} // namespace

namespace {

// Only an info document: it is the listing too, read twice (standard input: from memory).
Result<void> from_info_alone(const std::string& info_path, Documents& d) {
  if (info_path == "-") {
    OM_TRY(text, read_stdin());
    OM_TRY(listing, read_listing(borg::text_reader(text)));
    d.listing = std::move(listing);
    d.feed = feed_from_memory(std::move(text));
    return {};
  }
  OM_TRY(in, Input::open(info_path));
  OM_TRY(listing, read_listing(in.reader()));
  d.listing = std::move(listing);
  d.feed = [info_path](ArchiveSync& sync) -> Result<void> {
    OM_TRY(again, Input::open(info_path));
    return feed_info(again.reader(), sync);
  };
  return {};
}

// A listing, and an info document read only when the listing names unknown archives.
Result<void> from_listing(const SyncRequest& request, const KnownArchives& known, Documents& d) {
  const auto& info_path = request.borg_info_json;
  OM_TRY(in, Input::open(request.borg_list_json));
  auto listing = read_listing(in.reader());
  if (!listing)
    return std::unexpected(listing.error().context(request.borg_list_json));
  d.listing = std::move(*listing);
  if (info_path.empty())
    return {};
  if (!unknown_archive_ids(known, d.listing).empty()) {
    d.feed = [info_path](ArchiveSync& sync) -> Result<void> {
      OM_TRY(info, Input::open(info_path));
      auto fed = feed_info(info.reader(), sync);
      if (!fed)
        return std::unexpected(fed.error().context(info_path));
      return {};
    };
  } else if (info_path == "-") {
    OM_TRY_VOID(read_stdin()); // drained, so the writer of the pipe ends well
  }
  return {};
}

} // namespace

Result<Documents> from_files(const config::Options& options, const SyncRequest& request,
                             const KnownArchives& known) {
  Documents d;
  OM_TRY(tz, util::find_zone(request.borg_tz));
  d.source.tz = tz;
  if (request.borg_list_json.empty())
    OM_TRY_VOID(from_info_alone(request.borg_info_json, d));
  else
    OM_TRY_VOID(from_listing(request, known, d));
  d.source.target = config::k_local_target;
  d.source.repository = options.repo.empty() ? d.listing.repository.location : options.repo;
  d.source.retention = {.hourly = options.keep_hourly,
                        .daily = options.keep_daily,
                        .weekly = options.keep_weekly,
                        .monthly = options.keep_monthly};
  return d;
}

Result<Documents> from_borg(const config::Options& options, const config::Target& target,
                            const KnownArchives& known) {
  Documents d;
  d.source.target = target.name;
  d.source.repository = target.repo;
  d.source.retention = prune::retention_of(target, options);
  OM_TRY(utc, util::find_zone("UTC"));
  d.source.tz = utc; // our borg runs with TZ=UTC
  OM_TRY(made, borg::client_for(target, options.borg_command, std::chrono::hours(2)));
  auto client = std::make_shared<borg::Client>(std::move(made));
  const auto& repo = target.repo;
  // Checkpoints listed too: `borg info --last N` counts them, so the window below must.
  OM_TRY(list, client->run(borg::cmd::list_archives_and_checkpoints(repo)));
  if (!list.ok())
    return std::unexpected(list.error());
  OM_TRY(listing, read_listing(borg::text_reader(list.outcome.stdout_text)));
  d.listing = std::move(listing);
  auto unknown = unknown_archive_ids(known, d.listing);
  if (unknown.empty())
    return d;
  // One `borg info` for every unknown archive: they are the newest few in borg's order, so
  // --last K from the first unknown one covers them all.
  std::size_t first = d.listing.size();
  for (std::size_t i = 0; i < d.listing.size(); ++i) {
    if (std::ranges::find(unknown, d.listing[i].id) != unknown.end()) {
      first = i;
      break;
    }
  }
  const auto last = static_cast<int>(d.listing.size() - first);
  OM_TRY(info_run, client->run(borg::cmd::info_last(repo, last)));
  if (!info_run.ok())
    return std::unexpected(info_run.error());
  auto window = feed_from_memory(std::move(info_run.outcome.stdout_text));
  // Should borg's window still miss one (its order differing from the listing's), that one is
  // asked for by name; an unknown archive is never recorded from the listing alone.
  d.feed = [window, client, repo](ArchiveSync& sync) -> Result<void> {
    OM_TRY_VOID(window(sync));
    for (const auto& name : sync.undescribed()) {
      OM_TRY(one, client->run(borg::cmd::info_archive(borg::cmd::location(repo, name))));
      if (!one.ok())
        return std::unexpected(one.error());
      OM_TRY_VOID(feed_from_memory(std::move(one.outcome.stdout_text))(sync));
    }
    if (auto missing = sync.undescribed(); !missing.empty())
      return fail("borg info did not describe archive " + missing.front() +
                  ": nothing was changed");
    return {};
  };
  return d;
}

} // namespace om::sync
