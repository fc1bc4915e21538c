#include <om/copy/rclone_output.hpp>

#include <cmath>

#include <simdjson.h>

#include <om/util/strings.hpp>

namespace om::copy {
namespace {

using Element = simdjson::dom::element;

std::int64_t count(Element object, std::string_view key) {
  auto v = object[key];
  if (v.error() != simdjson::SUCCESS)
    return 0;
  if (v.is_int64())
    return std::max<std::int64_t>(0, v.get_int64());
  if (v.is_uint64())
    return static_cast<std::int64_t>(std::min<std::uint64_t>(v.get_uint64(), INT64_MAX));
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && d >= 0 && d < 9.2e18)
      return static_cast<std::int64_t>(d);
  }
  return 0;
}

std::string text(Element object, std::string_view key) {
  std::string_view s;
  if (object[key].get_string().get(s) != simdjson::SUCCESS)
    return {};
  return std::string(s);
}

Stats stats_of(Element s) {
  Stats out;
  out.bytes = count(s, "bytes");
  out.total_bytes = count(s, "totalBytes");
  out.transfers = count(s, "transfers");
  out.total_transfers = count(s, "totalTransfers");
  out.deletes = count(s, "deletes");
  out.renames = count(s, "renames");
  out.checks = count(s, "checks");
  out.errors = count(s, "errors");
  double speed = 0;
  if (s["speed"].get_double().get(speed) == simdjson::SUCCESS && std::isfinite(speed) && speed >= 0)
    out.speed = speed;
  if (auto eta = s["eta"]; eta.error() == simdjson::SUCCESS && !eta.is_null())
    out.eta = count(s, "eta");
  bool fatal = false;
  if (s["fatalError"].get_bool().get(fatal) == simdjson::SUCCESS)
    out.fatal_error = fatal;
  return out;
}

} // namespace

Stats& Stats::operator+=(const Stats& other) {
  bytes += other.bytes;
  total_bytes += other.total_bytes;
  transfers += other.transfers;
  total_transfers += other.total_transfers;
  deletes += other.deletes;
  renames += other.renames;
  checks += other.checks;
  errors += other.errors;
  fatal_error = fatal_error || other.fatal_error;
  return *this;
}

LogLine parse_log_line(std::string_view line) {
  LogLine out;
  auto trimmed = util::trim(line);
  if (!trimmed.starts_with('{')) {
    out.message = std::string(trimmed);
    return out;
  }
  simdjson::dom::parser parser;
  Element doc;
  if (parser.parse(trimmed.data(), trimmed.size()).get(doc) != simdjson::SUCCESS ||
      !doc.is_object()) {
    out.message = std::string(trimmed);
    return out;
  }
  out.parsed = true;
  out.level = text(doc, "level");
  out.message = std::string(util::trim(text(doc, "msg")));
  out.object = text(doc, "object");
  if (auto s = doc["stats"]; s.error() == simdjson::SUCCESS && s.is_object())
    out.stats = stats_of(s.value_unsafe());
  return out;
}

Result<std::vector<RemoteFile>> parse_listing(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  Element doc;
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS)
    return fail("rclone lsjson: the listing is not JSON");
  simdjson::dom::array items;
  if (doc.get_array().get(items) != simdjson::SUCCESS)
    return fail("rclone lsjson: the listing is not an array");
  std::vector<RemoteFile> files;
  for (Element item : items) {
    std::string_view path;
    std::int64_t size = -1;
    bool is_dir = false;
    if (!item.is_object() || item["Path"].get_string().get(path) != simdjson::SUCCESS ||
        item["Size"].get_int64().get(size) != simdjson::SUCCESS)
      return fail("rclone lsjson: an entry without a Path or a Size");
    if (item["IsDir"].get_bool().get(is_dir) != simdjson::SUCCESS)
      is_dir = false;
    if (size < 0 && !is_dir)
      return fail("rclone lsjson: " + std::string(path) + " has a negative size");
    files.push_back({std::string(path), std::max<std::int64_t>(size, 0), is_dir});
  }
  return files;
}

} // namespace om::copy
