// Catch2 main for both test binaries: a listener removes each test's temp dirs when the test
// passed and keeps them (printing where) when it failed.
#ifdef OM_CATCH2_V3
#include <catch2/catch_session.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#endif

#include <om/log/logging.hpp>
#include <om/proc/interrupt.hpp>

#include "support/temp_dir.hpp"

#ifdef OM_TEST_NETWORK
#include <cstdio>
#include <string_view>

#include "support/network.hpp"
#endif

namespace {

#ifdef OM_CATCH2_V3
using ListenerBase = Catch::EventListenerBase;
#else
using ListenerBase = Catch::TestEventListenerBase;
#endif

class TempDirListener : public ListenerBase {
public:
  using ListenerBase::ListenerBase;
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    om::test::finish_temp_dirs(stats.totals.assertions.failed == 0);
  }
};

} // namespace

CATCH_REGISTER_LISTENER(TempDirListener)

int main(int argc, char** argv) {
  om::log::init("om-tests", 0);
#ifdef OM_TEST_NETWORK
  // Hosts in network namespaces need root and a kernel that lets us make them: elsewhere the
  // tests are skipped (ctest's SKIP_RETURN_CODE), saying why. Listing them needs neither.
  bool listing = false;
  for (int i = 1; i < argc; ++i)
    listing = listing || std::string_view(argv[i]).starts_with("--list");
  if (!listing) {
    if (auto why = om::test::TestNetwork::unsupported_reason(); !why.empty()) {
      std::printf("skipped: %s\n", why.c_str());
      return OM_TEST_SKIP_CODE; // ctest's SKIP_RETURN_CODE (tests/CMakeLists.txt)
    }
  }
#endif
  return Catch::Session().run(argc, argv);
}
