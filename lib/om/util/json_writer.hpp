#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace om::util {

// Builds a JSON document in a string (manifests, spool records, --json output). Commas are
// placed automatically; keys and strings are escaped (invalid UTF-8 bytes become U+FFFD).
class JsonWriter {
public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // Inserts already-serialized JSON (e.g. borg's own output) as a value.
  JsonWriter& raw(std::string_view json);
  template <class T> JsonWriter& value(const std::optional<T>& v) { return v ? value(*v) : null(); }
  template <class T> JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  [[nodiscard]] const std::string& str() const { return m_out; }

private:
  void separate();
  std::string m_out;
  bool m_need_comma = false;
};

// A JSON string literal (with quotes) for `text`.
[[nodiscard]] std::string json_quote(std::string_view text);

} // namespace om::util
