#include "support/http_receiver.hpp"

#include <csignal>
#include <stdexcept>

#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <om/util/files.hpp>
#include <om/util/strings.hpp>

#include "support/held_run.hpp"
#include "support/temp_dir.hpp"

namespace om::test {

HttpReceiver::HttpReceiver(const std::string& dir) : m_dir(dir) {
  (void)util::make_dirs(dir, 0700);
  const std::string script = std::string(OM_SOURCE_DIR) + "/tests/support/http_receiver.py";
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::execl("/usr/bin/python3", "python3", script.c_str(), dir.c_str(), nullptr);
    ::_exit(127);
  }
  m_pid = pid;
  if (!eventually([&] { return util::path_exists(dir + "/port"); }))
    throw std::runtime_error("the HTTP receiver did not start");
  m_port = std::stoi(read_text(dir + "/port"));
}

HttpReceiver::~HttpReceiver() {
  stop();
}

void HttpReceiver::stop() {
  if (m_pid == 0)
    return;
  ::kill(static_cast<pid_t>(m_pid), SIGTERM);
  int status = 0;
  ::waitpid(static_cast<pid_t>(m_pid), &status, 0);
  m_pid = 0;
}

std::string HttpReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void HttpReceiver::answer(int status) const {
  write_text(m_dir + "/status", std::to_string(status));
}

std::vector<HttpReceiver::Request> HttpReceiver::requests() const {
  std::vector<Request> out;
  const auto text = util::read_file(m_dir + "/requests.jsonl").value_or("");
  simdjson::dom::parser parser;
  for (auto line : util::split(text, '\n')) {
    if (line.empty())
      continue;
    simdjson::padded_string padded(line);
    auto doc = parser.parse(padded);
    if (doc.error() != simdjson::SUCCESS)
      throw std::runtime_error("the receiver wrote a bad line");
    Request r;
    r.method = std::string(doc["method"].get_string().value());
    r.path = std::string(doc["path"].get_string().value());
    r.query = std::string(doc["query"].get_string().value());
    r.body = std::string(doc["body"].get_string().value());
    for (auto field : doc["headers"].get_object())
      r.headers[std::string(field.key)] = std::string(field.value.get_string().value());
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace om::test
