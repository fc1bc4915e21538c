// The streaming walker of borg's --json documents (borg/json_stream): cut anywhere, it walks
// the same; on every JSON object simdjson's DOM accepts it hands out the same archives and
// members, value for value.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include <om/borg/json_stream.hpp>

#include "check.hpp"
#include "chunked_reader.hpp"

namespace om::fuzz {
namespace {

struct Walked {
  bool ok = false;
  bool saw_archives = false;
  std::vector<std::string> archives;
  std::vector<std::pair<std::string, std::string>> members;

  bool operator==(const Walked&) const = default;
};

// The walk with the document handed over `chunk` bytes at a time.
Walked walk(std::string_view doc, std::size_t chunk) {
  Walked w;
  std::size_t at = 0;
  auto walked = borg::walk_document(
      chunked_reader(doc, chunk, at), {[&](std::string_view json) -> Result<void> {
               w.archives.emplace_back(json);
               return {};
             },
             [&](std::string_view key, std::string_view json) -> Result<void> {
               w.members.emplace_back(key, json);
               return {};
             }});
  w.ok = walked.has_value();
  w.saw_archives = walked.value_or(false);
  return w;
}

// A JSON text as simdjson writes it back (nullopt: not JSON).
std::optional<std::string> canonical(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element e;
  if (parser.parse(padded).get(e) != simdjson::SUCCESS)
    return std::nullopt;
  return simdjson::to_string(e);
}

// What the DOM makes of the document: every "archives" array's elements, in order, and the
// other members; nullopt when it is not an object of that shape.
std::optional<Walked> from_dom(std::string_view doc) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(doc);
  simdjson::dom::object root;
  if (parser.parse(padded).get_object().get(root) != simdjson::SUCCESS)
    return std::nullopt;
  Walked w;
  w.ok = true;
  for (auto field : root) {
    if (field.key != "archives") {
      w.members.emplace_back(std::string(field.key), simdjson::to_string(field.value));
      continue;
    }
    simdjson::dom::array archives;
    if (field.value.get_array().get(archives) != simdjson::SUCCESS)
      return std::nullopt; // the walker wants an array there: not a borg document
    w.saw_archives = true;
    for (auto a : archives)
      w.archives.push_back(simdjson::to_string(a));
  }
  return w;
}

} // namespace

void borg_json_walker(std::string_view input) {
  if (input.empty())
    return;
  const std::size_t chunk = 1 + static_cast<unsigned char>(input.front()) % 97;
  const auto doc = input.substr(1);
  auto whole = walk(doc, doc.size() + 1);
  check(walk(doc, chunk) == whole, "the walk depends on where the document is cut");
  auto dom = from_dom(doc);
  if (!dom)
    return;
  check(whole.ok, "the walker refuses a JSON object simdjson accepts");
  check(whole.saw_archives == dom->saw_archives, "the walker and simdjson disagree on archives");
  check(whole.archives.size() == dom->archives.size(), "a different number of archives");
  for (std::size_t i = 0; i < dom->archives.size(); ++i)
    check(canonical(whole.archives[i]) == dom->archives[i],
          "archive " + std::to_string(i) + " differs from simdjson's");
  check(whole.members.size() == dom->members.size(), "a different number of members");
  for (std::size_t i = 0; i < dom->members.size(); ++i) {
    check(whole.members[i].first == dom->members[i].first, "a member's name differs");
    check(canonical(whole.members[i].second) == dom->members[i].second,
          "member " + dom->members[i].first + " differs from simdjson's");
  }
}

} // namespace om::fuzz
