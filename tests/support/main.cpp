// Catch2 main for both test binaries: a listener removes each test's temp dirs when the test
// passed and keeps them (printing where) when it failed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <om/log/logging.hpp>
#include <om/proc/interrupt.hpp>

#include "support/temp_dir.hpp"

namespace {

class TempDirListener : public Catch::TestEventListenerBase {
public:
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    om::test::finish_temp_dirs(stats.totals.assertions.failed == 0);
  }
};

} // namespace

CATCH_REGISTER_LISTENER(TempDirListener)

int main(int argc, char** argv) {
  om::log::init("om-tests", 0);
  return Catch::Session().run(argc, argv);
}
