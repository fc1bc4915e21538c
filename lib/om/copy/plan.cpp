#include <om/copy/plan.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <om/util/strings.hpp>

namespace om::copy {
namespace {

std::optional<std::int64_t> number(std::string_view digits) {
  if (digits.empty() || digits.size() > 18 ||
      !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return util::parse_int(digits);
}

} // namespace

FileName classify(std::string_view path) {
  if (path == "lock.roster" || path == "lock.exclusive" || path.starts_with("lock.exclusive/"))
    return {Role::lock, -1};
  if (path.starts_with("data/")) {
    auto rest = path.substr(5);
    auto slash = rest.find('/');
    if (slash != std::string_view::npos && number(rest.substr(0, slash))) {
      if (auto n = number(rest.substr(slash + 1)))
        return {Role::segment, *n};
    }
    return {Role::other, -1};
  }
  for (std::string_view prefix : {"index.", "hints.", "integrity."}) {
    if (path.starts_with(prefix)) {
      if (auto n = number(path.substr(prefix.size())))
        return {Role::transaction, *n};
    }
  }
  return {Role::other, -1};
}

std::vector<std::int64_t> transactions(const std::vector<RemoteFile>& files) {
  std::set<std::int64_t> index;
  std::set<std::int64_t> hints;
  for (const auto& f : files) {
    auto name = classify(f.path);
    if (name.role != Role::transaction)
      continue;
    if (f.path.starts_with("index."))
      index.insert(name.number);
    else if (f.path.starts_with("hints."))
      hints.insert(name.number);
  }
  std::vector<std::int64_t> out;
  for (auto n : index) {
    if (hints.contains(n))
      out.push_back(n);
  }
  std::ranges::reverse(out);
  return out;
}

std::int64_t newest_transaction(const std::vector<RemoteFile>& files) {
  auto all = transactions(files);
  return all.empty() ? -1 : all.front();
}

CopyPlan plan_copy(const std::vector<RemoteFile>& source,
                   const std::vector<RemoteFile>& destination, int max_delete_percent, bool force) {
  CopyPlan plan;
  std::map<std::string_view, std::int64_t> in_source;
  for (const auto& f : source) {
    if (f.is_dir || classify(f.path).role == Role::lock)
      continue;
    in_source.emplace(f.path, f.size);
    ++plan.source_files;
    plan.source_bytes += f.size;
  }
  const auto committed = newest_transaction(destination);
  std::set<std::string_view> at_destination;
  for (const auto& f : destination) {
    auto name = classify(f.path);
    if (f.is_dir || name.role == Role::lock)
      continue;
    at_destination.insert(f.path);
    auto it = in_source.find(f.path);
    if (it == in_source.end())
      ++plan.deleted_files;
    if (name.role != Role::segment || name.number > committed)
      continue;
    ++plan.destination_segments;
    plan.destination_segment_bytes += f.size;
    if (it == in_source.end()) {
      ++plan.deleted_segments;
      plan.lost_bytes += f.size;
    } else if (it->second != f.size) {
      ++plan.replaced_segments;
      plan.lost_bytes += f.size;
    }
  }
  for (const auto& [path, size] : in_source) {
    if (classify(path).role == Role::segment && !at_destination.contains(path)) {
      ++plan.new_segments;
      plan.new_bytes += size;
    }
  }
  const auto total = plan.destination_segment_bytes;
  // In whole percent of the total, without overflow: lost / total > max / 100.
  const auto percent = total > 0 ? static_cast<std::int64_t>(static_cast<double>(plan.lost_bytes) *
                                                             100.0 / static_cast<double>(total))
                                 : 0;
  if (!force && total > 0 &&
      static_cast<double>(plan.lost_bytes) * 100.0 >
          static_cast<double>(max_delete_percent) * static_cast<double>(total)) {
    const auto lost = plan.deleted_segments + plan.replaced_segments;
    plan.refusal =
        "the copy would " +
        std::string(plan.replaced_segments > 0 && plan.deleted_segments > 0 ? "delete or replace"
                    : plan.replaced_segments > 0                            ? "replace"
                                                                            : "delete") +
        " " + std::to_string(lost) + " of the destination's " +
        std::to_string(plan.destination_segments) + " data segments, " + std::to_string(percent) +
        "% of their bytes (more than copy-max-delete " + std::to_string(max_delete_percent) +
        "%): check the repository (borg check, borg list), then copy with --force if this is "
        "meant";
  }
  return plan;
}

Settled settle(const std::vector<RemoteFile>& files, std::int64_t upto) {
  Settled out;
  out.transaction = upto;
  for (const auto& f : files) {
    auto name = classify(f.path);
    if (name.role == Role::lock ||
        ((name.role == Role::segment || name.role == Role::transaction) && name.number > upto))
      out.set_aside.push_back(f.path);
  }
  return out;
}

} // namespace om::copy
