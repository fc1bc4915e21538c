#include <om/borg/parse.hpp>

#include <cmath>

#include <simdjson.h>

#include <om/borg/surrogates.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::borg {
namespace {

// The DOM API: it picks the fastest kernel for this CPU at run time (the on-demand API is
// fixed at compile time, and for a generic x86-64 build that is the slow fallback).
using Element = simdjson::dom::element;
using Object = simdjson::dom::object;

std::string str(Element v) {
  return std::string(std::string_view(v.get_string()));
}

// A value no borg could have written (a size of 1e300, a start time that is not a time): the
// whole document is refused rather than an overflowed number or a NULL reaching the catalog.
struct ImpossibleValue {
  std::string message;
};

std::int64_t integer(Element v, std::string_view key) {
  if (!v.is_double())
    return v.get_int64();
  double d = v.get_double();
  // 2^63 is the first double past int64's range.
  if (!std::isfinite(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    throw ImpossibleValue{std::string(key) + " " + std::to_string(d) + " is out of range"};
  return static_cast<std::int64_t>(d);
}

std::int64_t size(Element v, std::string_view key) {
  auto n = integer(v, key);
  if (n < 0)
    throw ImpossibleValue{std::string(key) + " " + std::to_string(n) + " is negative"};
  return n;
}

// Seconds a backup can take: from none to a century.
double duration(Element v) {
  double d = v.is_double() ? double(v.get_double()) : static_cast<double>(integer(v, "duration"));
  if (!std::isfinite(d) || d < 0 || d > 100.0 * 365 * 86400)
    throw ImpossibleValue{"duration " + std::to_string(d) + " is not a possible number of seconds"};
  return d;
}

// borg's naive local time; its zone is applied later, its form is checked here.
std::string time_text(Element v, std::string_view key) {
  auto text = str(v);
  if (!util::is_local_time(text))
    throw ImpossibleValue{std::string(key) + " '" + text + "' is not a time"};
  return text;
}

ArchiveStats parse_stats(Object obj) {
  ArchiveStats s;
  for (auto [key, value] : obj) {
    if (key == "original_size")
      s.original_size = size(value, key);
    else if (key == "compressed_size")
      s.compressed_size = size(value, key);
    else if (key == "deduplicated_size")
      s.deduplicated_size = size(value, key);
    else if (key == "nfiles")
      s.nfiles = size(value, key);
  }
  return s;
}

Repository parse_repository(Object obj) {
  Repository r;
  for (auto [key, value] : obj) {
    if (key == "id")
      r.id = str(value);
    else if (key == "location")
      r.location = str(value);
    else if (key == "last_modified")
      r.last_modified = str(value);
  }
  return r;
}

Archive parse_archive(Element element) {
  Archive a;
  a.raw_json = simdjson::minify(element);
  for (auto [key, v] : Object(element)) {
    if (key == "name")
      a.name = str(v);
    else if (key == "id")
      a.id = str(v);
    else if (key == "start")
      a.start = time_text(v, key);
    else if (key == "end")
      a.end = time_text(v, key);
    else if (key == "duration")
      a.duration = duration(v);
    else if (key == "hostname")
      a.hostname = str(v);
    else if (key == "username")
      a.username = str(v);
    else if (key == "comment")
      a.comment = str(v);
    else if (key == "stats")
      a.stats = parse_stats(v.get_object());
    else if (key == "command_line") {
      for (auto arg : v.get_array())
        a.command_line.emplace_back(std::string_view(arg.get_string()));
    }
  }
  return a;
}

ArchiveRef parse_archive_ref(Object obj) {
  ArchiveRef a;
  for (auto [key, value] : obj) {
    if (key == "name")
      a.name = str(value);
    else if (key == "id")
      a.id = str(value);
    else if (key == "start" || (key == "time" && a.start.empty())) // older borg: only "time"
      a.start = time_text(value, key);
  }
  return a;
}

Result<void> check_id(const std::string& what, const std::string& name, const std::string& id) {
  if (!util::is_hex(id, 64))
    return fail("borg " + what + ": archive '" + name + "' has no valid 64-hex id");
  return {};
}

// Parses a whole document and runs `body` on its root object, turning simdjson's exceptions
// into one clear error. Trailing data after the document is an error too.
template <class F>
auto guarded(const char* what, std::string_view json, F&& body)
    -> Result<decltype(body(std::declval<Object>()))> {
  try {
    simdjson::dom::parser parser;
    Element root = parser.parse(json.data(), json.size());
    return body(root.get_object());
  } catch (const simdjson::simdjson_error& e) {
    return fail(std::string("borg ") + what + " output is not valid JSON: " + e.what());
  } catch (const ImpossibleValue& e) {
    return fail(std::string("borg ") + what + " output has an impossible value: " + e.message);
  }
}

} // namespace

Result<Listing> parse_list(std::string_view json) {
  bool saw_archives = false;
  bool saw_repository = false;
  OM_TRY(listing, guarded("list", json, [&](Object root) {
           Listing l;
           for (auto [key, value] : root) {
             if (key == "archives") {
               saw_archives = true;
               for (auto a : value.get_array())
                 l.archives.push_back(parse_archive_ref(a.get_object()));
             } else if (key == "repository") {
               saw_repository = true;
               l.repository = parse_repository(value.get_object());
             }
           }
           return l;
         }));
  if (!saw_archives || !saw_repository)
    return fail(R"(borg list output has no "archives" or "repository": not a borg list --json)");
  for (const auto& a : listing.archives)
    OM_TRY_VOID(check_id("list", a.name, a.id));
  return listing;
}

namespace {

// One parser per thread, reused: its buffers are sized once, not per archive.
template <class F>
auto piece(const char* what, std::string_view json, F&& body)
    -> Result<decltype(body(std::declval<Element>()))> {
  thread_local simdjson::dom::parser parser;
  try {
    Element root = parser.parse(json.data(), json.size());
    return body(root);
  } catch (const simdjson::simdjson_error& e) {
    return fail(std::string("borg ") + what + " output is not valid JSON: " + e.what());
  } catch (const ImpossibleValue& e) {
    return fail(std::string("borg ") + what + " output has an impossible value: " + e.message);
  }
}

} // namespace

Result<ArchiveRef> parse_listed_archive(std::string_view json) {
  OM_TRY(ref, piece("list", json, [](Element e) { return parse_archive_ref(e.get_object()); }));
  OM_TRY_VOID(check_id("list", ref.name, ref.id));
  return ref;
}

Result<Archive> parse_archive_info(std::string_view json) {
  OM_TRY(archive, piece("info", json, [](Element e) { return parse_archive(e); }));
  OM_TRY_VOID(check_id("info", archive.name, archive.id));
  return archive;
}

Result<Repository> parse_repository_member(std::string_view json) {
  return piece("list", json, [](Element e) { return parse_repository(e.get_object()); });
}

Result<RepositoryStats> parse_repository_info(std::string_view json) {
  bool saw_repository = false;
  bool saw_stats = false;
  OM_TRY(stats, guarded("info", json, [&](Object root) {
           RepositoryStats r;
           for (auto [key, value] : root) {
             if (key == "repository") {
               saw_repository = true;
               r.repository = parse_repository(value.get_object());
             } else if (key == "encryption") {
               r.encryption = str(value["mode"]);
             } else if (key == "cache") {
               for (auto [k, v] : Object(value["stats"])) {
                 saw_stats = true;
                 if (k == "total_chunks")
                   r.total_chunks = size(v, k);
                 else if (k == "total_size")
                   r.total_size = size(v, k);
                 else if (k == "total_csize")
                   r.total_csize = size(v, k);
                 else if (k == "total_unique_chunks")
                   r.unique_chunks = size(v, k);
                 else if (k == "unique_size")
                   r.unique_size = size(v, k);
                 else if (k == "unique_csize")
                   r.unique_csize = size(v, k);
               }
             }
           }
           return r;
         }));
  if (!saw_repository || !saw_stats)
    return fail(
        "borg info output has no \"repository\" or cache stats: not a borg info --json REPO");
  return stats;
}

Result<Info> parse_info(std::string_view json) {
  bool saw_repository = false;
  OM_TRY(info, guarded("info", json, [&](Object root) {
           Info i;
           for (auto [key, value] : root) {
             if (key == "archives") {
               for (auto a : value.get_array())
                 i.archives.push_back(parse_archive(a));
             } else if (key == "repository") {
               saw_repository = true;
               i.repository = parse_repository(value.get_object());
             }
           }
           return i;
         }));
  if (!saw_repository)
    return fail("borg info output has no \"repository\": not a borg info --json");
  for (const auto& a : info.archives)
    OM_TRY_VOID(check_id("info", a.name, a.id));
  return info;
}

Result<CreateResult> parse_create(std::string_view json) {
  bool saw_archive = false;
  OM_TRY(result, guarded("create", json, [&](Object root) {
           CreateResult c;
           for (auto [key, value] : root) {
             if (key == "archive") {
               saw_archive = true;
               c.archive = parse_archive(value);
             } else if (key == "repository") {
               c.repository = parse_repository(value.get_object());
             }
           }
           return c;
         }));
  if (!saw_archive)
    return fail("borg create output has no \"archive\"");
  OM_TRY_VOID(check_id("create", result.archive.name, result.archive.id));
  return result;
}

namespace {

LogLine parse_json_log_line(std::string_view line) {
  LogLine out;
  out.message = std::string(util::trim(line));
  auto brace = line.find("{\"");
  if (brace == std::string_view::npos)
    return out;
  try {
    // One parser per thread, reused: --list sends a line per file.
    thread_local simdjson::dom::parser parser;
    auto json = line.substr(brace);
    Object obj = parser.parse(json.data(), json.size()).get_object();
    out.type = LogLine::Type::other_json;
    ArchiveStats progress;
    bool is_progress = false;
    for (auto [key, v] : obj) {
      if (key == "type") {
        std::string_view t = v.get_string();
        if (t == "log_message")
          out.type = LogLine::Type::log_message;
        else if (t == "archive_progress")
          out.type = LogLine::Type::archive_progress, is_progress = true;
        else if (t == "progress_message")
          out.type = LogLine::Type::progress_message;
        else if (t == "progress_percent")
          out.type = LogLine::Type::progress_percent;
        else if (t == "file_status")
          out.type = LogLine::Type::file_status;
      } else if (key == "message" || key == "status") { // file_status: A, M, U, d, ...
        out.message = str(v);
      } else if (key == "levelname") {
        out.levelname = str(v);
      } else if (key == "msgid") {
        out.msgid = str(v);
      } else if (key == "name") {
        out.name = str(v);
      } else if (key == "time") {
        out.time = v.is_double() ? double(v.get_double()) : static_cast<double>(integer(v, key));
      } else if (key == "path") {
        out.path = str(v);
      } else if (key == "info" && v.is_array()) { // progress_percent: [the current path]
        for (auto item : v.get_array()) {
          if (item.is_string())
            out.path = str(item);
          break;
        }
      } else if (key == "finished") {
        out.finished = v.get_bool();
      } else if (key == "original_size") {
        progress.original_size = size(v, key);
      } else if (key == "compressed_size") {
        progress.compressed_size = size(v, key);
      } else if (key == "deduplicated_size") {
        progress.deduplicated_size = size(v, key);
      } else if (key == "nfiles") {
        progress.nfiles = size(v, key);
      } else if (key == "current") {
        out.current = integer(v, key);
      } else if (key == "total") {
        out.total = integer(v, key);
      }
    }
    if (is_progress)
      out.progress = progress;
    if (out.type == LogLine::Type::other_json && out.message == util::trim(line))
      out.message.clear();
  } catch (const simdjson::simdjson_error&) {
    out = LogLine{};
    out.message = std::string(util::trim(line));
  } catch (const ImpossibleValue&) {
    out = LogLine{};
    out.message = std::string(util::trim(line));
  }
  return out;
}

} // namespace

LogLine parse_log_line(std::string_view line) {
  auto out = parse_json_log_line(line);
  if (out.type != LogLine::Type::text || line.find("{\"") == std::string_view::npos)
    return out;
  // A file name that is not UTF-8: parsed with its bytes hidden (borg/surrogates.hpp).
  auto hidden = hide_surrogates(line);
  if (!hidden)
    return out;
  out = parse_json_log_line(*hidden);
  if (out.type == LogLine::Type::text)
    out.message = std::string(util::trim(line));
  out.path = bytes_of(out.path);
  return out;
}

ErrorKind classify_msgid(std::string_view msgid) {
  if (msgid.empty())
    return ErrorKind::none;
  if (msgid == "NoPassphraseFailure" || msgid == "PasscommandFailure")
    return ErrorKind::passphrase_missing;
  if (msgid == "PassphraseWrong")
    return ErrorKind::passphrase_wrong;
  // Only a lock another process holds is "try again later"; LockFailed is borg failing to
  // create the lock at all (a read-only or unwritable repository), with the OS's reason.
  if (msgid == "LockTimeout")
    return ErrorKind::lock_timeout;
  if (msgid == "Repository.DoesNotExist" || msgid == "Repository.InvalidRepository")
    return ErrorKind::repo_missing;
  if (msgid == "Repository.AlreadyExists")
    return ErrorKind::repo_exists;
  return ErrorKind::other;
}

} // namespace om::borg
