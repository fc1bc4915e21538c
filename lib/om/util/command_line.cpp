#include <om/util/command_line.hpp>

namespace om::util {

Result<std::vector<std::string>> split_command(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < text.size())
        current += text[++i];
      else
        current += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      current += text[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word)
        out.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (quote != 0)
    return fail(ExitStatus::config, "unbalanced quote in command: " + std::string(text));
  if (in_word)
    out.push_back(std::move(current));
  if (out.empty())
    return fail(ExitStatus::config, "empty command");
  return out;
}

} // namespace om::util
