#include <om/borg/json_stream.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include <simdjson.h>
#include <unistd.h>

namespace om::borg {
namespace {

// A byte cursor over the reader, refilled 256 KiB at a time.
class Cursor {
public:
  explicit Cursor(const ByteReader& read) : m_read(read), m_buf(std::make_unique<char[]>(k_size)) {}

  // The next byte without taking it; -1 at the end.
  [[nodiscard]] Result<int> peek() {
    if (m_at == m_len) {
      OM_TRY(n, m_read(m_buf.get(), k_size));
      m_at = 0;
      m_len = n;
      if (n == 0)
        return -1;
    }
    return static_cast<unsigned char>(m_buf[m_at]);
  }
  void take() { ++m_at; }

  [[nodiscard]] Result<int> next_non_space() {
    while (true) {
      OM_TRY(c, peek());
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
        return c;
      take();
    }
  }

private:
  static constexpr std::size_t k_size = std::size_t{256} * 1024;
  const ByteReader& m_read;
  std::unique_ptr<char[]> m_buf;
  std::size_t m_at = 0;
  std::size_t m_len = 0;
};

Error ends_early() {
  return Error{ExitStatus::failed, "the JSON document ends early (truncated?)"};
}
Error unexpected(int c, const char* wanted) {
  return Error{ExitStatus::failed, std::string("the JSON document has '") + static_cast<char>(c) +
                                       "' where " + wanted + " belongs"};
}

// Appends one string (the cursor at its opening quote) to `out`, escapes and all.
Result<void> copy_string(Cursor& in, std::string& out) {
  in.take();
  out += '"';
  bool escaped = false;
  while (true) {
    OM_TRY(c, in.peek());
    if (c < 0)
      return std::unexpected(ends_early());
    in.take();
    out += static_cast<char>(c);
    if (escaped)
      escaped = false;
    else if (c == '\\')
      escaped = true;
    else if (c == '"')
      return {};
  }
}

// Appends one whole JSON value (the cursor at its first byte) to `out`.
Result<void> copy_value(Cursor& in, std::string& out) {
  OM_TRY(first, in.next_non_space());
  if (first < 0)
    return std::unexpected(ends_early());
  if (first == '"')
    return copy_string(in, out);
  if (first != '{' && first != '[') { // number, true, false, null
    while (true) {
      OM_TRY(c, in.peek());
      if (c < 0 || c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' ||
          c == '\t')
        return out.empty() ? std::unexpected(unexpected(c, "a value")) : Result<void>{};
      out += static_cast<char>(c);
      in.take();
    }
  }
  int depth = 0;
  while (true) {
    OM_TRY(c, in.peek());
    if (c < 0)
      return std::unexpected(ends_early());
    if (c == '"') {
      OM_TRY_VOID(copy_string(in, out));
      continue;
    }
    in.take();
    out += static_cast<char>(c);
    if (c == '{' || c == '[')
      ++depth;
    else if ((c == '}' || c == ']') && --depth == 0)
      return {};
  }
}

Result<void> expect(Cursor& in, char wanted, const char* what) {
  OM_TRY(c, in.next_non_space());
  if (c < 0)
    return std::unexpected(ends_early());
  if (c != wanted)
    return std::unexpected(unexpected(c, what));
  in.take();
  return {};
}

Result<void> walk_archives(Cursor& in, const DocumentHandlers& h) {
  OM_TRY_VOID(expect(in, '[', "the archives array"));
  std::string element;
  OM_TRY(c, in.next_non_space());
  if (c == ']') {
    in.take();
    return {};
  }
  while (true) {
    element.clear();
    OM_TRY_VOID(copy_value(in, element));
    if (h.on_archive)
      OM_TRY_VOID(h.on_archive(element));
    OM_TRY(sep, in.next_non_space());
    if (sep < 0)
      return std::unexpected(ends_early());
    in.take();
    if (sep == ']')
      return {};
    if (sep != ',')
      return std::unexpected(unexpected(sep, "',' or ']'"));
  }
}

// A member name as JSON means it, escapes decoded ("arch\u0069ves" is "archives").
Result<std::string> member_name(std::string_view quoted) {
  if (quoted.find('\\') == std::string_view::npos)
    return std::string(quoted.substr(1, quoted.size() - 2));
  simdjson::dom::parser parser;
  simdjson::padded_string padded(quoted);
  std::string_view name;
  if (parser.parse(padded).get_string().get(name) != simdjson::SUCCESS)
    return fail("the JSON document has a member name that is not a valid JSON string");
  return std::string(name);
}

// One top-level member: "archives" is walked archive by archive, any other member is handed
// over whole. Returns whether it was "archives".
Result<bool> walk_member(Cursor& in, const DocumentHandlers& h, std::string& key,
                         std::string& value) {
  OM_TRY(q, in.next_non_space());
  if (q != '"')
    return std::unexpected(q < 0 ? ends_early() : unexpected(q, "a member name"));
  key.clear();
  OM_TRY_VOID(copy_string(in, key));
  OM_TRY(name, member_name(key));
  OM_TRY_VOID(expect(in, ':', "':'"));
  if (name == "archives") {
    OM_TRY_VOID(walk_archives(in, h));
    return true;
  }
  value.clear();
  OM_TRY_VOID(copy_value(in, value));
  if (h.on_member)
    OM_TRY_VOID(h.on_member(name, value));
  return false;
}

// After a member: ',' (another follows) or '}' (the object ends).
Result<bool> another_member(Cursor& in) {
  OM_TRY(sep, in.next_non_space());
  if (sep < 0)
    return std::unexpected(ends_early());
  in.take();
  if (sep != '}' && sep != ',')
    return std::unexpected(unexpected(sep, "',' or '}'"));
  return sep == ',';
}

} // namespace

ByteReader fd_reader(int fd) {
  return [fd](char* buf, std::size_t size) -> Result<std::size_t> {
    while (true) {
      auto n = ::read(fd, buf, size);
      if (n >= 0)
        return static_cast<std::size_t>(n);
      if (errno != EINTR)
        return fail(std::string("reading: ") + std::strerror(errno));
    }
  };
}

ByteReader text_reader(std::string_view text) {
  return [text, at = std::size_t{0}](char* buf, std::size_t size) mutable -> Result<std::size_t> {
    auto n = std::min(size, text.size() - at);
    std::memcpy(buf, text.data() + at, n);
    at += n;
    return n;
  };
}

Result<bool> walk_document(const ByteReader& read, const DocumentHandlers& h) {
  Cursor in(read);
  OM_TRY_VOID(expect(in, '{', "the document's opening '{'"));
  OM_TRY(first, in.next_non_space());
  bool more = first != '}';
  if (!more)
    in.take();
  std::string key;
  std::string value;
  bool saw_archives = false;
  while (more) {
    OM_TRY(archives, walk_member(in, h, key, value));
    saw_archives = saw_archives || archives;
    OM_TRY(another, another_member(in));
    more = another;
  }
  OM_TRY(rest, in.next_non_space());
  if (rest >= 0)
    return std::unexpected(unexpected(rest, "the end of the document"));
  return saw_archives;
}

} // namespace om::borg
