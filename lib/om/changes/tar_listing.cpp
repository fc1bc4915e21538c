#include <om/changes/tar_listing.hpp>

#include <charconv>

#include <om/util/strings.hpp>

namespace om::changes {
namespace {

// The next space-separated field of `rest`.
std::string_view field(std::string_view& rest) {
  while (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  auto end = rest.find(' ');
  auto out = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return out;
}

// A C-quoted name ("a\"b\n\303\251") at the start of `rest`, which it leaves after it.
Result<std::string> quoted(std::string_view& rest) {
  if (rest.empty() || rest.front() != '"')
    return fail("not a quoted name");
  std::string out;
  for (std::size_t i = 1; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '"') {
      rest.remove_prefix(i + 1);
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i == rest.size())
      break;
    const char e = rest[i];
    if (e >= '0' && e <= '7') {
      int v = 0;
      std::size_t n = 0;
      for (; n < 3 && i + n < rest.size() && rest[i + n] >= '0' && rest[i + n] <= '7'; ++n)
        v = v * 8 + (rest[i + n] - '0');
      out += static_cast<char>(v);
      i += n - 1;
      continue;
    }
    switch (e) {
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    case 'r':
      out += '\r';
      break;
    case 'a':
      out += '\a';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'v':
      out += '\v';
      break;
    case '?':
      out += '?';
      break;
    case '\\':
      out += '\\';
      break;
    case '"':
      out += '"';
      break;
    default:
      return fail("unknown escape \\" + std::string(1, e));
    }
  }
  return fail("the name's closing quote is missing");
}

Result<void> parse_line(std::string_view line, TarListing& listing) {
  std::string_view rest = line;
  auto mode = field(rest);
  auto owner = field(rest);
  auto size = field(rest);
  auto date = field(rest);
  auto time = field(rest);
  if (mode.size() < 10 || owner.find('/') == std::string_view::npos || date.size() != 10 ||
      time.size() < 8)
    return fail("not a tar listing line");
  while (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  OM_TRY(name, quoted(rest));
  TarEntry entry;
  entry.type = mode.front();
  entry.permissions = std::string(mode.substr(1));
  entry.owner = std::string(owner);
  entry.mtime = std::string(date) + " " + std::string(time);
  if (size.find(',') == std::string_view::npos) { // devices show major,minor
    auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), entry.size);
    if (ec != std::errc() || end != size.data() + size.size())
      return fail("size '" + std::string(size) + "' is not a number");
  }
  if (rest.starts_with(" -> ") || rest.starts_with(" link to ")) {
    rest.remove_prefix(rest.starts_with(" -> ") ? 4 : 9);
    OM_TRY(target, quoted(rest));
    entry.link = std::move(target);
  }
  if (!rest.empty())
    return fail("unexpected text after the name");
  if (name.size() > 1 && name.back() == '/')
    name.pop_back();
  listing.insert_or_assign(std::move(name), std::move(entry));
  return {};
}

} // namespace

Result<void> add_tar_line(std::string_view line, TarListing& listing) {
  auto parsed = parse_line(line, listing);
  if (!parsed)
    return fail("tar listing: " + parsed.error().message + ": " +
                util::escape_controls(util::first_line(line)));
  return {};
}

std::vector<Change> compare_listings(const TarListing& before, const TarListing& after, bool all) {
  std::vector<Change> out;
  auto b = before.begin();
  auto a = after.begin();
  auto size = [](const TarEntry& e) -> std::optional<std::int64_t> {
    return e.type == '-' ? std::optional(e.size) : std::nullopt;
  };
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      out.push_back({b->first, "removed", size(b->second), std::nullopt});
      ++b;
      continue;
    }
    if (b == before.end() || a->first < b->first) {
      out.push_back({a->first, "added", std::nullopt, size(a->second)});
      ++a;
      continue;
    }
    const auto& path = a->first;
    const auto& x = b->second;
    const auto& y = a->second;
    const auto count = out.size();
    if (x.type != y.type || (x.type == '-' && (x.size != y.size || x.mtime != y.mtime)))
      out.push_back({path, "modified", size(x), size(y)});
    if (x.permissions != y.permissions)
      out.push_back({path, "mode", size(x), size(y)});
    if (x.owner != y.owner)
      out.push_back({path, "owner", size(x), size(y)});
    if (x.type == y.type && x.link != y.link)
      out.push_back({path, "link", std::nullopt, std::nullopt});
    if (out.size() == count && x.mtime != y.mtime && all)
      out.push_back({path, "time", size(x), size(y)});
    ++a;
    ++b;
  }
  return out;
}

} // namespace om::changes
