#include <om/changes/file_index.hpp>

#include <charconv>
#include <fstream>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

namespace om::changes {
namespace {

constexpr std::string_view k_magic = "om-backup-file-index 1";

// A path or name on one line: backslash, newline and tab escaped.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
}

Result<std::string> unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 == text.size())
      return fail("file index: a line ends in a lone backslash");
    const char next = text[++i];
    if (next == '\\')
      out += '\\';
    else if (next == 'n')
      out += '\n';
    else if (next == 't')
      out += '\t';
    else
      return fail("file index: unknown escape \\" + std::string(1, next));
  }
  return out;
}

Result<std::int64_t> number(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    return fail("file index: '" + util::escape_controls(text) + "' is not a number");
  return v;
}

} // namespace

std::string index_path(const std::string& state_dir, const std::string& target) {
  return state_dir + "/file-index/" + target;
}

std::string render_index(const FileIndex& index) {
  std::string out(k_magic);
  out += '\t';
  append_escaped(out, index.repository);
  out += '\t';
  append_escaped(out, index.archive);
  out += '\t';
  append_escaped(out, index.selection);
  out += '\n';
  for (const auto& [path, state] : index.files) {
    out += std::to_string(state.size);
    out += ' ';
    out += std::to_string(state.mtime_ns);
    out += ' ';
    append_escaped(out, path);
    out += '\n';
  }
  return out;
}

namespace {

Result<FileIndex> parse(std::string_view text, bool header_only) {
  if (!header_only && !text.empty() && text.back() != '\n')
    return fail("file index: cut short (no newline at its end)");
  FileIndex index;
  bool header = true;
  while (!text.empty()) {
    auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    if (header) {
      header = false;
      auto fields = util::split(line, '\t');
      if (fields.size() != 4 || fields[0] != k_magic)
        return fail("file index: not an om-backup file index");
      OM_TRY(repo, unescape(fields[1]));
      OM_TRY(archive, unescape(fields[2]));
      OM_TRY(selection, unescape(fields[3]));
      index.repository = std::move(repo);
      index.archive = std::move(archive);
      index.selection = std::move(selection);
      if (header_only)
        return index;
      continue;
    }
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos)
      return fail("file index: a line is not 'size mtime path'");
    OM_TRY(size, number(line.substr(0, sp1)));
    OM_TRY(mtime, number(line.substr(sp1 + 1, sp2 - sp1 - 1)));
    OM_TRY(path, unescape(line.substr(sp2 + 1)));
    index.files.insert_or_assign(std::move(path), FileState{size, mtime});
  }
  if (header)
    return fail("file index: empty");
  return index;
}

Result<std::optional<FileIndex>> load(const std::string& path, bool header_only) {
  if (!util::path_exists(path))
    return std::optional<FileIndex>{};
  std::string text;
  if (header_only) {
    std::ifstream in(path, std::ios::binary);
    std::getline(in, text);
    text += '\n';
  } else {
    OM_TRY(whole, util::read_file(path, util::Follow::no));
    text = std::move(whole);
  }
  auto index = parse(text, header_only);
  if (!index)
    return std::unexpected(index.error().context(path));
  return std::optional<FileIndex>(std::move(*index));
}

} // namespace

Result<FileIndex> parse_index(std::string_view text) {
  return parse(text, false);
}

Result<std::optional<FileIndex>> load_index(const std::string& path) {
  return load(path, false);
}

Result<std::optional<FileIndex>> load_index_header(const std::string& path) {
  return load(path, true);
}

Result<void> save_index(const std::string& path, const FileIndex& index) {
  const auto slash = path.rfind('/');
  OM_TRY_VOID(util::open_private_dir(path.substr(0, slash)));
  return util::replace_file(path, render_index(index), 0600);
}

} // namespace om::changes
