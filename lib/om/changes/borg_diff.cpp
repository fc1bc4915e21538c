#include <om/changes/borg_diff.hpp>

#include <simdjson.h>

#include <om/borg/surrogates.hpp>
#include <om/util/strings.hpp>

namespace om::changes {
namespace {

using Element = simdjson::dom::element;

std::optional<std::int64_t> size_of(simdjson::dom::object change) {
  auto size = change["size"];
  if (size.error() != simdjson::SUCCESS)
    return std::nullopt;
  std::int64_t n = size.get_int64();
  if (n < 0)
    throw simdjson::simdjson_error(simdjson::NUMBER_ERROR);
  return n;
}

std::vector<Change> changes_of(Element root, bool all, bool hidden) {
  simdjson::dom::object object = root.get_object();
  std::string path(std::string_view(object["path"].get_string()));
  if (hidden)
    path = borg::bytes_of(path);
  std::vector<Change> out;
  bool timestamps = false;
  for (Element item : object["changes"].get_array()) {
    simdjson::dom::object change = item.get_object();
    std::string_view type = change["type"].get_string();
    if (type == "added" || type == "removed") {
      auto size = size_of(change);
      out.push_back(type == "added" ? Change{path, "added", std::nullopt, size}
                                    : Change{path, "removed", size, std::nullopt});
    } else if (type.starts_with("added ")) { // added directory, added link, ...
      out.push_back(Change{path, "added", std::nullopt, std::nullopt});
    } else if (type.starts_with("removed ")) {
      out.push_back(Change{path, "removed", std::nullopt, std::nullopt});
    } else if (type == "modified") {
      std::int64_t added = change["added"].get_int64();
      std::int64_t removed = change["removed"].get_int64();
      if (added != 0 || removed != 0)
        out.push_back(Change{path, "modified", std::nullopt, std::nullopt});
    } else if (type == "changed link") {
      out.push_back(Change{path, "link", std::nullopt, std::nullopt});
    } else if (type == "ctime" || type == "mtime" || type == "isomtime") {
      timestamps = true;
    } else { // mode, owner; and a kind of change newer than borg 1.2: said, not dropped
      out.push_back(Change{path, std::string(type), std::nullopt, std::nullopt});
    }
  }
  if (out.empty() && timestamps && all)
    out.push_back(Change{path, "time", std::nullopt, std::nullopt});
  return out;
}

} // namespace

Result<std::vector<Change>> parse_diff_line(std::string_view line, bool all) {
  thread_local simdjson::dom::parser parser;
  auto hidden =
      line.find("\\u") == std::string_view::npos ? std::nullopt : borg::hide_surrogates(line);
  std::string_view json = hidden ? std::string_view(*hidden) : line;
  try {
    Element root = parser.parse(json.data(), json.size());
    return changes_of(root, all, hidden.has_value());
  } catch (const simdjson::simdjson_error& e) {
    return fail("borg diff printed a line that is not a change (" + std::string(e.what()) +
                "): " + util::escape_controls(util::first_line(line)));
  }
}

} // namespace om::changes
