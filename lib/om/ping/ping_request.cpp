#include <om/ping/ping_request.hpp>

#include <om/mail/message.hpp>
#include <om/util/json_writer.hpp>
#include <om/util/strings.hpp>

namespace om::ping {
namespace {

std::string percent_encoded(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

// URL split at its query: ("https://h/p", "a=1") for "https://h/p?a=1#f".
std::pair<std::string, std::string> split_query(std::string_view url) {
  url = url.substr(0, url.find('#'));
  auto q = url.find('?');
  if (q == std::string_view::npos)
    return {std::string(url), ""};
  return {std::string(url.substr(0, q)), std::string(url.substr(q + 1))};
}

std::string with_query(const std::string& base, const std::string& query, const std::string& more) {
  std::string q = query;
  if (!more.empty())
    q += (q.empty() ? "" : "&") + more;
  return q.empty() ? base : base + "?" + q;
}

std::string title(const Report& r) {
  switch (r.event) {
  case Event::start:
    return r.tool + " started on " + r.host;
  case Event::success:
    return r.tool + " succeeded on " + r.host;
  case Event::failure:
    return r.tool + " failed on " + r.host + " (exit " + std::to_string(r.exit_code.value_or(-1)) +
           ")";
  }
  return r.tool;
}

HttpRequest healthchecks(const PingTarget& t, const Report& r) {
  auto [base, query] = split_query(t.url);
  while (base.ends_with('/'))
    base.pop_back();
  if (r.event == Event::start)
    base += "/start";
  else if (r.event == Event::failure)
    base += "/" + std::to_string(r.exit_code.value_or(1));
  HttpRequest req{"POST", with_query(base, query, "rid=" + percent_encoded(r.run_id)), {}, {}};
  req.headers["Content-Type"] = "text/plain; charset=utf-8";
  req.body = r.event == Event::start ? title(r) + "\n" : tail_of(r.log_tail, k_max_log_tail);
  return req;
}

HttpRequest uptime_kuma(const PingTarget& t, const Report& r) {
  auto [base, query] = split_query(t.url); // the push URL's sample query is replaced
  (void)query;
  std::string q = std::string("status=") + (r.event == Event::success ? "up" : "down") +
                  "&msg=" + percent_encoded(r.message) + "&ping=";
  if (r.duration_ms)
    q += std::to_string(*r.duration_ms);
  return HttpRequest{"GET", base + "?" + q, {}, {}};
}

HttpRequest ntfy(const PingTarget& t, const Report& r) {
  HttpRequest req{"POST", t.url, {}, {}};
  req.headers["Title"] = mail::header_text(title(r));
  struct Look {
    std::string_view priority;
    std::string_view tags;
  };
  static constexpr Look k_start{"2", "hourglass_flowing_sand"};
  static constexpr Look k_success{"3", "white_check_mark"};
  static constexpr Look k_failure{"5", "rotating_light"};
  const Look& look = r.event == Event::start     ? k_start
                     : r.event == Event::success ? k_success
                                                 : k_failure;
  req.headers["Priority"] = std::string(look.priority);
  req.headers["Tags"] = std::string(look.tags);
  req.headers["Content-Type"] = "text/plain; charset=utf-8";
  // ntfy keeps a message up to 4 KiB as text: the message, then as much of the log as fits.
  constexpr std::size_t k_ntfy_text = 4000;
  req.body = r.message;
  if (r.event != Event::start && !r.log_tail.empty() && r.message.size() + 2 < k_ntfy_text)
    req.body += "\n\n" + tail_of(r.log_tail, k_ntfy_text - r.message.size() - 2);
  return req;
}

HttpRequest json(const PingTarget& t, const Report& r) {
  util::JsonWriter w;
  w.begin_object()
      .field("event", to_string(r.event))
      .field("tool", r.tool)
      .field("host", r.host)
      .field("run_id", r.run_id);
  w.key("exit_code");
  if (r.exit_code)
    w.value(*r.exit_code);
  else
    w.null();
  w.field("duration_ms", r.duration_ms).field("message", r.message).key("record");
  if (r.job_json)
    w.raw(util::trim(*r.job_json));
  else
    w.null();
  w.field("log_tail", tail_of(r.log_tail, k_max_log_tail)).end_object();
  HttpRequest req{"POST", t.url, {}, w.str()};
  req.headers["Content-Type"] = "application/json";
  return req;
}

} // namespace

std::string_view to_string(Event event) {
  switch (event) {
  case Event::start:
    return "start";
  case Event::success:
    return "success";
  case Event::failure:
    return "failure";
  }
  return "start";
}

std::optional<HttpRequest> request_for(const PingTarget& target, const Report& report) {
  switch (target.style) {
  case PingStyle::healthchecks:
    return healthchecks(target, report);
  case PingStyle::uptime_kuma:
    if (report.event == Event::start)
      return std::nullopt;
    return uptime_kuma(target, report);
  case PingStyle::ntfy:
    return ntfy(target, report);
  case PingStyle::json:
    return json(target, report);
  }
  return std::nullopt;
}

std::string tail_of(std::string_view text, std::size_t max) {
  if (text.size() <= max)
    return std::string(text);
  auto rest = text.substr(text.size() - max);
  if (auto nl = rest.find('\n'); nl != std::string_view::npos && nl + 1 < rest.size())
    return std::string(rest.substr(nl + 1));
  std::size_t skip = 0; // no line break: at least never half a character
  while (skip < rest.size() && (static_cast<unsigned char>(rest[skip]) & 0xC0) == 0x80)
    ++skip;
  return std::string(rest.substr(skip));
}

} // namespace om::ping
