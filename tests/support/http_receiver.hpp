#pragma once

#include <map>
#include <string>
#include <vector>

namespace om::test {

// A real HTTP server on 127.0.0.1 for one test (tests/support/http_receiver.py): it records the
// requests it gets and answers with the status the test sets. Stopped by the destructor; the
// test can stop it early (then nothing listens on its port).
class HttpReceiver {
public:
  explicit HttpReceiver(const std::string& dir);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  struct Request {
    std::string method;
    std::string path;
    std::string query;
    std::map<std::string, std::string> headers;
    std::string body;
  };

  // http://127.0.0.1:PORT + path
  [[nodiscard]] std::string url(const std::string& path) const;
  // What it was sent, in order.
  [[nodiscard]] std::vector<Request> requests() const;
  // The status of every answer from now on.
  void answer(int status) const;
  void stop();

private:
  std::string m_dir;
  int m_port = 0;
  long m_pid = 0;
};

} // namespace om::test
