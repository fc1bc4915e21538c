#pragma once

#include <span>
#include <string>
#include <string_view>

// The fuzz targets: one per parser entry point, each a function that takes one input and
// checks properties of what the parser makes of it (not only that it does not crash). They
// run under libFuzzer (scripts/fuzz) and, on the seed corpus and every input a fuzzer ever
// found, in the unit tests (tests/unit/test_fuzz_corpus.cpp).
namespace om::fuzz {

// A broken property: under libFuzzer it aborts (the input is kept as a crash); in the unit
// tests it throws, so the case fails with `what`.
[[noreturn]] void violated(const std::string& what);

inline void check(bool holds, const std::string& what) {
  if (!holds)
    violated(what);
}

struct Target {
  const char* name;
  void (*run)(std::string_view input);
};

// Every target, by name: scripts/fuzz builds one fuzzer per entry, the unit tests replay
// fuzz/corpus/NAME and fuzz/regressions/NAME through it.
[[nodiscard]] std::span<const Target> targets();

// The targets themselves (fuzz/targets/*.cpp).
void borg_json_walker(std::string_view input);
void borg_documents(std::string_view input);
void backup_log(std::string_view input);
void cron_expression(std::string_view input);
void config_file(std::string_view input);
void defaults_file(std::string_view input);
void when_value(std::string_view input);
void tar_member(std::string_view input);
void rclone_output(std::string_view input);
void change_listings(std::string_view input);

} // namespace om::fuzz
