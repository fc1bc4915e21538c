#include <om/proc/command.hpp>

#include <cstring>

#include <om/util/strings.hpp>

namespace om::proc {

std::string Command::display() const {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty())
      out += ' ';
    out += util::shell_quote(arg);
  }
  return out;
}

std::string Outcome::describe() const {
  if (timed_out)
    return "timed out and was killed";
  if (stopped)
    return "was stopped (the work it fed had failed)";
  if (term_signal != 0)
    return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")";
  return "exited with status " + std::to_string(exit_code);
}

} // namespace om::proc
