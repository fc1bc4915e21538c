#include <om/util/uuid.hpp>

#include <array>
#include <cctype>

#include <uuid/uuid.h>

namespace om::util {
namespace {

std::string unparse(const uuid_t id) {
  std::array<char, 37> out{};
  uuid_unparse_lower(id, out.data());
  return out.data();
}

} // namespace

std::string uuid_v4() {
  uuid_t id;
  uuid_generate_random(id);
  return unparse(id);
}

std::string uuid_v5(std::string_view name) {
  // Fixed namespace for om-backup (itself a v5 of the URL namespace and "om-backup").
  static const uuid_t k_namespace = {0x6f, 0x8e, 0x1a, 0x52, 0x3c, 0x4d, 0x5b, 0x0e,
                                     0x9a, 0x7f, 0x21, 0xd3, 0x44, 0x6b, 0x90, 0x15};
  uuid_t id;
  uuid_generate_sha1(id, k_namespace, name.data(), name.size());
  return unparse(id);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    auto c = static_cast<unsigned char>(text[i]);
    const bool hex = std::isdigit(c) != 0 || (c >= 'a' && c <= 'f');
    if (dash ? c != '-' : !hex)
      return false;
  }
  return true;
}

} // namespace om::util
