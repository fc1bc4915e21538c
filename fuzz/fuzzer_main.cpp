// The libFuzzer entry of one target (OM_FUZZ_TARGET names its function): a broken property
// aborts, which libFuzzer reports as a crash and keeps the input of.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "check.hpp"

namespace om::fuzz {

void violated(const std::string& what) {
  std::fprintf(stderr, "om-fuzz: property violated: %s\n", what.c_str());
  std::abort();
}

} // namespace om::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  OM_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
