#include <om/changes/change.hpp>

#include <algorithm>

namespace om::changes {

std::int64_t weight(const Change& change) {
  return std::max(change.size_before.value_or(0), change.size_after.value_or(0));
}

void Summary::add(Change change) {
  if (change.change == "added") {
    ++added_files;
    added_bytes += change.size_after.value_or(0);
  } else if (change.change == "removed") {
    ++removed_files;
    removed_bytes += change.size_before.value_or(0);
  } else if (change.change == "modified") {
    ++modified_files;
    modified_bytes += change.size_after.value_or(0);
  } else {
    return;
  }
  auto heavier = [](const Change& a, const Change& b) {
    return weight(a) != weight(b) ? weight(a) > weight(b) : a.path < b.path;
  };
  if (largest.size() == k_largest && !heavier(change, largest.back()))
    return;
  largest.insert(std::ranges::upper_bound(largest, change, heavier), std::move(change));
  if (largest.size() > k_largest)
    largest.pop_back();
}

} // namespace om::changes
