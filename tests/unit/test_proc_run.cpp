#include "support/catch.hpp"

#include <csignal>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <om/proc/interrupt.hpp>
#include <om/proc/run.hpp>
#include <om/util/time.hpp>

using namespace om;

namespace {
proc::Command sh(const std::string& script) {
  proc::Command c;
  c.argv = {"sh", "-c", script};
  return c;
}
// The state letter of a process from /proc (Z for a zombie nobody reaped yet).
char process_state(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto pos = all.rfind(')');
  return pos == std::string::npos || pos + 2 >= all.size() ? '?' : all[pos + 2];
}
} // namespace

TEST_CASE("proc: exit codes and stdout/stderr kept apart") {
  auto r = proc::run(sh("echo out; echo err >&2; exit 3"));
  REQUIRE(r);
  CHECK(r->exited_with(3));
  CHECK_FALSE(r->success());
  CHECK(r->stdout_text == "out\n");
  CHECK(r->stderr_text == "err\n");
  CHECK(r->describe() == "exited with status 3");
}

TEST_CASE("proc: stdin is /dev/null, so a prompt gets end of file instead of hanging") {
  auto r = proc::run(sh("if read line; then echo got; else echo eof; fi"));
  REQUIRE(r);
  CHECK(r->stdout_text == "eof\n");
}

TEST_CASE("proc: lines are streamed to handlers as they come, without a trailing newline too") {
  std::vector<std::string> out, err;
  proc::Streams streams;
  streams.on_stdout_line = [&](std::string_view l) { out.emplace_back(l); };
  streams.on_stderr_line = [&](std::string_view l) { err.emplace_back(l); };
  auto r = proc::run(sh("printf 'a\\nb\\nc'; printf 'x\\n' >&2"), streams);
  REQUIRE(r);
  CHECK(out == std::vector<std::string>{"a", "b", "c"});
  CHECK(err == std::vector<std::string>{"x"});
}

TEST_CASE("proc: large output on both pipes at once does not deadlock") {
  // 8 MiB on each stream, interleaved: a reader that drains only one pipe would block forever.
  auto r = proc::run(sh("head -c 8388608 /dev/zero | tr '\\0' 'o' & "
                        "head -c 8388608 /dev/zero | tr '\\0' 'e' >&2; wait"));
  REQUIRE(r);
  CHECK(r->success());
  CHECK(r->stdout_text.size() == 8388608);
  CHECK(r->stderr_text.size() == 8388608);
  CHECK(r->stdout_text.find_first_not_of('o') == std::string::npos);
}

TEST_CASE("proc: a child killed by a signal is reported as such") {
  auto r = proc::run(sh("kill -TERM $$"));
  REQUIRE(r);
  CHECK(r->term_signal == SIGTERM);
  CHECK_FALSE(r->success());
  CHECK(r->describe().find("killed by signal 15") != std::string::npos);
}

TEST_CASE("proc: the timeout kills the whole process group, grandchildren included") {
  auto c = sh("sleep 30 & echo $! ; sleep 30");
  c.timeout = std::chrono::milliseconds(300);
  auto start = util::monotonic_ms();
  auto r = proc::run(c);
  REQUIRE(r);
  CHECK(r->timed_out);
  CHECK(r->term_signal == SIGTERM);
  CHECK(util::monotonic_ms() - start < 20'000);
  auto grandchild = std::stoi(r->stdout_text);
  // The background sleep was in the group: it is gone (or a zombie of init) shortly after.
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    gone = ::kill(grandchild, 0) != 0 || process_state(grandchild) == 'Z';
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(gone);
}

TEST_CASE("proc: environment is set and unset per child - argv is not a shell") {
  ::setenv("OM_TEST_UNSET_ME", "present", 1);
  proc::Command c = sh("echo \"$OM_TEST_SECRET|${OM_TEST_UNSET_ME:-gone}\"");
  c.env_set["OM_TEST_SECRET"] = "s3cret";
  c.env_unset.push_back("OM_TEST_UNSET_ME");
  auto r = proc::run(c);
  REQUIRE(r);
  CHECK(r->stdout_text == "s3cret|gone\n");

  proc::Command literal;
  literal.argv = {"printf", "%s", "$(echo not expanded); rm -rf /"};
  auto l = proc::run(literal);
  REQUIRE(l);
  CHECK(l->stdout_text == "$(echo not expanded); rm -rf /");
}

TEST_CASE("proc: a missing program is an 'unavailable' error, not a crash") {
  proc::Command c;
  c.argv = {"/nonexistent/borg", "--version"};
  auto r = proc::run(c);
  REQUIRE_FALSE(r);
  CHECK(r.error().status == ExitStatus::unavailable);
  CHECK(r.error().message.find("/nonexistent/borg") != std::string::npos);
}

TEST_CASE("proc: two children joined by a pipe (producer | consumer)") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  std::vector<proc::Command> cmds(2);
  cmds[0].argv = {"sh", "-c", "seq 1 100000"};
  cmds[0].stdout_fd = fds[1];
  cmds[1].argv = {"sh", "-c", "wc -l"};
  cmds[1].stdin_fd = fds[0];
  std::vector<proc::Streams> streams(2);
  auto r = proc::run_together(cmds, streams);
  REQUIRE(r);
  CHECK((*r)[0].success());
  CHECK((*r)[1].success());
  CHECK((*r)[1].stdout_text == "100000\n");
}

TEST_CASE("proc: a signal to us is forwarded to the running child's group") {
  // Runs in a forked copy of the test binary, so the interrupt stays out of the other tests.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    proc::install_interrupt_handlers();
    // The child signals its parent (the fork) with SIGTERM, then waits to be stopped.
    auto r = proc::run(sh("kill -TERM $PPID; sleep 20; echo not-stopped"));
    bool ok = r && r->interrupted_by == SIGTERM && r->term_signal == SIGTERM &&
              r->stdout_text.empty() && proc::interrupted() == SIGTERM;
    ::_exit(ok ? 0 : 1);
  }
  auto start = util::monotonic_ms();
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(util::monotonic_ms() - start < 15'000);
}

TEST_CASE("proc: data passes through us from one child to another, in order and complete") {
  // producer → us (we see every byte) → consumer, with the producer throttled by the feed:
  // 64 MiB pass through a 4 MiB buffer.
  proc::Feed feed;
  std::vector<proc::Command> cmds(2);
  cmds[1].argv = {"sh", "-c", "sha256sum"};
  cmds[1].stdin_feed = &feed;
  std::size_t seen = 0;
  std::size_t max_pending = 0;
  std::vector<proc::Streams> streams(2);
  cmds[0].argv = {"sh", "-c", "head -c 67108864 /dev/urandom"};
  streams[0].on_stdout_data = [&](std::string_view chunk) {
    seen += chunk.size();
    feed.write(chunk);
    max_pending = std::max(max_pending, feed.pending().size());
  };
  streams[0].on_stdout_end = [&] { feed.close(); };
  streams[0].throttle = {&feed};
  auto r = proc::run_together(cmds, streams);
  REQUIRE(r);
  CHECK((*r)[0].success());
  CHECK((*r)[1].success());
  CHECK(seen == 67108864);
  CHECK((*r)[1].stdout_text.size() == 64 + 4); // "<digest>  -\n": the consumer saw it all
  CHECK(max_pending <= proc::Feed::k_limit + (1 << 16));
}

TEST_CASE("proc: a feed whose reader lags does not grow past its limit") {
  proc::Feed feed;
  std::string chunk(1 << 16, 'x');
  std::size_t largest = 0;
  for (int i = 0; i < 2000; ++i) { // 128 MiB written, the reader always one chunk behind
    if (!feed.full())
      feed.write(chunk);
    feed.consumed(std::min<std::size_t>(feed.pending().size(), chunk.size() - 1));
    largest = std::max(largest, feed.capacity_used());
  }
  CHECK(largest <= 2 * proc::Feed::k_limit + chunk.size());
}

TEST_CASE("proc: a consumer that stops reading does not hang the pipeline") {
  proc::Feed feed;
  std::vector<proc::Command> cmds(2);
  cmds[0].argv = {"sh", "-c", "head -c 33554432 /dev/zero"};
  cmds[1].argv = {"sh", "-c", "head -c 10 >/dev/null; exit 3"};
  cmds[1].stdin_feed = &feed;
  std::vector<proc::Streams> streams(2);
  streams[0].on_stdout_data = [&](std::string_view chunk) { feed.write(chunk); };
  streams[0].on_stdout_end = [&] { feed.close(); };
  streams[0].throttle = {&feed};
  auto r = proc::run_together(cmds, streams);
  REQUIRE(r);
  CHECK((*r)[1].exited_with(3));
  CHECK((*r)[0].success());
}

TEST_CASE("proc: on_tick is called while the child runs") {
  proc::Command c;
  c.argv = {"sleep", "0.35"};
  int ticks = 0;
  proc::Streams s;
  s.on_tick = [&] { ++ticks; };
  auto r = proc::run(c, s);
  REQUIRE(r);
  CHECK(r->success());
  CHECK(ticks >= 2); // at the start, and again after each wait of at most 100 ms
}
