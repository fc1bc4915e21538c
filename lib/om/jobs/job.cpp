#include <om/jobs/job.hpp>

#include <array>
#include <utility>

namespace om::jobs {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 5> k_kinds{{{Kind::files, "files"},
                                                                    {Kind::db, "db"},
                                                                    {Kind::both, "both"},
                                                                    {Kind::borg, "borg"},
                                                                    {Kind::copy, "copy"}}};
constexpr std::array<std::pair<Status, std::string_view>, 5> k_statuses{
    {{Status::queued, "queued"},
     {Status::running, "running"},
     {Status::success, "success"},
     {Status::failed, "failed"},
     {Status::cancelled, "cancelled"}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value)
      return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& names,
                          std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text)
      return v;
  }
  return std::nullopt;
}

} // namespace

std::string_view to_string(Kind kind) {
  return name_of(k_kinds, kind);
}
std::string_view to_string(Status status) {
  return name_of(k_statuses, status);
}
std::optional<Kind> parse_kind(std::string_view text) {
  return value_of(k_kinds, text);
}
std::optional<Status> parse_status(std::string_view text) {
  return value_of(k_statuses, text);
}

} // namespace om::jobs
