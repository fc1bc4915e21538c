#include <om/legacy/gzip_check.hpp>

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <om/util/fd.hpp>
#include <om/util/sha256.hpp>

namespace om::legacy {

Result<void> verify_gzip_file(const std::string& path, std::int64_t expected_size,
                              const std::string& expected_sha256) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd)
    return fail("verifying " + path + ": " + std::strerror(errno));
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return fail("verifying " + path + ": zlib init failed");
  std::array<unsigned char, 1 << 16> in{};
  std::array<unsigned char, 1 << 16> out{};
  util::Sha256 hash;
  std::int64_t size = 0;
  int rc = Z_OK;
  bool ended = false;
  while (true) {
    auto n = ::read(fd.get(), in.data(), in.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      inflateEnd(&z);
      return fail("verifying " + path + ": " + std::strerror(errno));
    }
    if (n == 0)
      break;
    size += n;
    hash.update(
        std::string_view(reinterpret_cast<const char*>(in.data()), static_cast<std::size_t>(n)));
    z.next_in = in.data();
    z.avail_in = static_cast<uInt>(n);
    while (true) {
      if (ended && z.avail_in > 0) { // a further gzip member (concatenated streams are gzip too)
        inflateReset(&z);
        ended = false;
      }
      z.next_out = out.data();
      z.avail_out = out.size();
      rc = inflate(&z, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        ended = true;
      } else if (rc == Z_BUF_ERROR) {
        break; // needs more input
      } else if (rc != Z_OK) {
        inflateEnd(&z);
        return fail("verifying " + path + ": the gzip stream is corrupt (" +
                    (z.msg != nullptr ? std::string(z.msg) : "zlib error " + std::to_string(rc)) +
                    ")");
      }
      if (z.avail_in == 0 && z.avail_out != 0)
        break; // all input used and all output given
    }
  }
  inflateEnd(&z);
  if (!ended)
    return fail("verifying " + path + ": the gzip stream is truncated");
  if (size != expected_size)
    return fail("verifying " + path + ": size " + std::to_string(size) + " is not the " +
                std::to_string(expected_size) + " written");
  if (auto digest = hash.hex_digest(); digest != expected_sha256)
    return fail("verifying " + path + ": sha256 " + digest + " is not the " + expected_sha256 +
                " written");
  return {};
}

} // namespace om::legacy
