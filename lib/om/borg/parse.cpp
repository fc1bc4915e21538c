#include <om/borg/parse.hpp>

#include <simdjson.h>

#include <om/util/strings.hpp>

namespace om::borg {
namespace {

namespace od = simdjson::ondemand;

std::string str(od::value v) { return std::string(std::string_view(v.get_string())); }

std::int64_t integer(od::value v) {
  if (v.type() == od::json_type::number && v.get_number_type() == od::number_type::floating_point_number)
    return static_cast<std::int64_t>(double(v.get_double()));
  return v.get_int64();
}

ArchiveStats parse_stats(od::object obj) {
  ArchiveStats s;
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    if (key == "original_size")
      s.original_size = integer(field.value());
    else if (key == "compressed_size")
      s.compressed_size = integer(field.value());
    else if (key == "deduplicated_size")
      s.deduplicated_size = integer(field.value());
    else if (key == "nfiles")
      s.nfiles = integer(field.value());
  }
  return s;
}

Repository parse_repository(od::object obj) {
  Repository r;
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    if (key == "id")
      r.id = str(field.value());
    else if (key == "location")
      r.location = str(field.value());
    else if (key == "last_modified")
      r.last_modified = str(field.value());
  }
  return r;
}

Archive parse_archive(od::object obj) {
  Archive a;
  a.raw_json = std::string(std::string_view(obj.raw_json()));
  obj.reset();
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    od::value v = field.value();
    if (key == "name")
      a.name = str(v);
    else if (key == "id")
      a.id = str(v);
    else if (key == "start")
      a.start = str(v);
    else if (key == "end")
      a.end = str(v);
    else if (key == "duration")
      a.duration = v.get_double();
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

ArchiveRef parse_archive_ref(od::object obj) {
  ArchiveRef a;
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    if (key == "name")
      a.name = str(field.value());
    else if (key == "id")
      a.id = str(field.value());
    else if (key == "start")
      a.start = str(field.value());
    else if (key == "time" && a.start.empty())
      a.start = str(field.value());
  }
  return a;
}

Result<void> check_id(const std::string& what, const std::string& name, const std::string& id) {
  if (!util::is_hex(id, 64))
    return fail("borg " + what + ": archive '" + name + "' has no valid 64-hex id");
  return {};
}

// Runs a parse body, turning simdjson's exceptions into one clear error.
template <class F> auto guarded(const char* what, std::string_view json, F&& body)
    -> Result<decltype(body(std::declval<od::document&>()))> {
  try {
    simdjson::padded_string padded(json);
    od::parser parser;
    od::document doc = parser.iterate(padded);
    auto out = body(doc);
    if (doc.current_location().error() == simdjson::SUCCESS)
      return fail(std::string("borg ") + what + " output: trailing data after the JSON document");
    return out;
  } catch (const simdjson::simdjson_error& e) {
    return fail(std::string("borg ") + what + " output is not valid JSON: " + e.what());
  }
}

} // namespace

Result<Listing> parse_list(std::string_view json) {
  bool saw_archives = false;
  bool saw_repository = false;
  OM_TRY(listing, guarded("list", json, [&](od::document& doc) {
    Listing l;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "archives") {
        saw_archives = true;
        for (auto a : field.value().get_array())
          l.archives.push_back(parse_archive_ref(a.get_object()));
      } else if (key == "repository") {
        saw_repository = true;
        l.repository = parse_repository(field.value().get_object());
      }
    }
    return l;
  }));
  if (!saw_archives || !saw_repository)
    return fail("borg list output has no \"archives\" or \"repository\": not a borg list --json");
  for (const auto& a : listing.archives)
    OM_TRY_VOID(check_id("list", a.name, a.id));
  return listing;
}

Result<Info> parse_info(std::string_view json) {
  bool saw_repository = false;
  OM_TRY(info, guarded("info", json, [&](od::document& doc) {
    Info i;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "archives") {
        for (auto a : field.value().get_array())
          i.archives.push_back(parse_archive(a.get_object()));
      } else if (key == "repository") {
        saw_repository = true;
        i.repository = parse_repository(field.value().get_object());
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
  OM_TRY(result, guarded("create", json, [&](od::document& doc) {
    CreateResult c;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "archive") {
        saw_archive = true;
        c.archive = parse_archive(field.value().get_object());
      } else if (key == "repository") {
        c.repository = parse_repository(field.value().get_object());
      }
    }
    return c;
  }));
  if (!saw_archive)
    return fail("borg create output has no \"archive\"");
  OM_TRY_VOID(check_id("create", result.archive.name, result.archive.id));
  return result;
}

LogLine parse_log_line(std::string_view line) {
  LogLine out;
  out.message = std::string(util::trim(line));
  auto brace = line.find("{\"");
  if (brace == std::string_view::npos)
    return out;
  try {
    simdjson::padded_string padded(line.substr(brace));
    od::parser parser;
    od::document doc = parser.iterate(padded);
    out.type = LogLine::Type::other_json;
    ArchiveStats progress;
    bool is_progress = false;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      od::value v = field.value();
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
      } else if (key == "message") {
        out.message = str(v);
      } else if (key == "levelname") {
        out.levelname = str(v);
      } else if (key == "msgid") {
        out.msgid = str(v);
      } else if (key == "name") {
        out.name = str(v);
      } else if (key == "time") {
        out.time = v.get_double();
      } else if (key == "path") {
        out.path = str(v);
      } else if (key == "finished") {
        out.finished = v.get_bool();
      } else if (key == "original_size") {
        progress.original_size = integer(v);
      } else if (key == "compressed_size") {
        progress.compressed_size = integer(v);
      } else if (key == "deduplicated_size") {
        progress.deduplicated_size = integer(v);
      } else if (key == "nfiles") {
        progress.nfiles = integer(v);
      }
    }
    if (is_progress)
      out.progress = progress;
    if (out.type == LogLine::Type::other_json && out.message == util::trim(line))
      out.message.clear();
  } catch (const simdjson::simdjson_error&) {
    out = LogLine{};
    out.message = std::string(util::trim(line));
  }
  return out;
}

ErrorKind classify_msgid(std::string_view msgid) {
  if (msgid.empty())
    return ErrorKind::none;
  if (msgid == "NoPassphraseFailure" || msgid == "PasscommandFailure")
    return ErrorKind::passphrase_missing;
  if (msgid == "PassphraseWrong")
    return ErrorKind::passphrase_wrong;
  if (msgid == "LockTimeout" || msgid == "LockFailed" || msgid == "LockError")
    return ErrorKind::lock_timeout;
  if (msgid == "Repository.DoesNotExist" || msgid == "Repository.InvalidRepository")
    return ErrorKind::repo_missing;
  if (msgid == "Repository.AlreadyExists")
    return ErrorKind::repo_exists;
  return ErrorKind::other;
}

} // namespace om::borg
