#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <om/util/exit_status.hpp>

namespace om {

// What went wrong, with what was being done, and the exit status it maps to.
// The message's first line is meant for a human reading cron mail.
struct Error {
  ExitStatus status = ExitStatus::failed;
  std::string message;

  // Prefixes the message with what was being done: "reading x: <message>".
  [[nodiscard]] Error context(std::string_view doing) const {
    return Error{status, std::string(doing) + ": " + message};
  }
};

template <class T> using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ExitStatus status, std::string message) {
  return std::unexpected(Error{status, std::move(message)});
}

[[nodiscard]] inline std::unexpected<Error> fail(std::string message) {
  return fail(ExitStatus::failed, std::move(message));
}

} // namespace om

// Propagates an error from an expression returning Result<T>; yields the value otherwise.
#define OM_TRY(var, expr)                                                                          \
  auto var##_result_ = (expr);                                                                     \
  if (!var##_result_)                                                                              \
    return std::unexpected(std::move(var##_result_.error()));                                      \
  auto var = std::move(*var##_result_) /* NOLINT(bugprone-macro-parentheses): a name */

#define OM_TRY_VOID(expr)                                                                          \
  do {                                                                                             \
    auto om_result_ = (expr);                                                                      \
    if (!om_result_)                                                                               \
      return std::unexpected(std::move(om_result_.error()));                                       \
  } while (0)
