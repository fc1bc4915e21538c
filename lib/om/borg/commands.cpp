#include <om/borg/commands.hpp>

namespace om::borg::cmd {
namespace {

Args joined(Args head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

} // namespace

std::string location(const std::string& repo, const std::string& archive) {
  return repo + "::" + archive;
}

Args init(const std::string& repo, const std::string& encryption) {
  return {"init", "--encryption", encryption, repo};
}

Args info(const std::string& repo) {
  return {"info", "--json", repo};
}

Args info_last(const std::string& repo, int last) {
  return {"info", "--json", "--last", std::to_string(last), repo};
}

Args info_archive(const std::string& location) {
  return {"info", "--json", location};
}

Args list_archives(const std::string& repo) {
  return {"list", "--json", repo};
}

Args list_archives_and_checkpoints(const std::string& repo) {
  return {"list", "--json", "--consider-checkpoints", repo};
}

Args list_paths(const std::string& location, const std::vector<std::string>& paths) {
  return joined({"list", "--short", location}, paths);
}

Args create(const std::vector<std::string>& options, const std::string& location,
            const std::vector<std::string>& inputs) {
  auto args = joined({"create"}, options);
  args.push_back(location);
  return joined(std::move(args), inputs);
}

Args extract_stdout(const std::string& location, const std::string& path, bool progress) {
  Args args{"extract", "--stdout"};
  if (progress)
    args.emplace_back("--progress");
  return joined(std::move(args), {location, path});
}

Args extract(const std::string& location, const std::vector<std::string>& paths,
             int strip_components, bool progress) {
  Args args{"extract", "--strip-components", std::to_string(strip_components)};
  if (progress)
    args.emplace_back("--progress");
  args.push_back(location);
  return joined(std::move(args), paths);
}

Args delete_archive(const std::string& location) {
  return {"delete", location};
}

Args prune(const std::string& repo, const std::string& prefix, const std::vector<std::string>& keep,
           bool dry_run) {
  Args args{"prune", "--list", "--glob-archives", prefix + "*"};
  if (dry_run)
    args.emplace_back("--dry-run");
  args = joined(std::move(args), keep);
  args.push_back(repo);
  return args;
}

Args compact(const std::string& repo) {
  return {"compact", repo};
}

Args check_repository(const std::string& repo) {
  return {"check", "--repository-only", repo};
}

Args check_archives(const std::string& repo, const std::string& glob) {
  return {"check", "--archives-only", "--glob-archives", glob, repo};
}

Args check_segments(const std::string& repo, int max_duration_s) {
  Args args{"check", "--info", "--progress", "--repository-only"};
  if (max_duration_s > 0)
    args = joined(std::move(args), {"--max-duration", std::to_string(max_duration_s)});
  args.push_back(repo);
  return args;
}

Args check_archive_metadata(const std::string& repo, int last) {
  Args args{"check", "--info", "--archives-only"};
  if (last > 0)
    args = joined(std::move(args), {"--last", std::to_string(last)});
  args.push_back(repo);
  return args;
}

Args check_verify_data(const std::string& repo) {
  return {"check", "--info", "--progress", "--verify-data", repo};
}

Args extract_dry_run(const std::string& location) {
  return {"extract", "--dry-run", "--info", location};
}

Args diff(const std::string& location, const std::string& other,
          const std::vector<std::string>& paths) {
  return joined({"diff", "--json-lines", location, other}, paths);
}

Args with_lock(const std::string& repo, const std::vector<std::string>& command) {
  return joined({"with-lock", repo}, command);
}

} // namespace om::borg::cmd
