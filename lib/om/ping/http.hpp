#pragma once

#include <chrono>

#include <om/ping/ping_request.hpp>
#include <om/util/error.hpp>

namespace om::ping {

// One HTTP(S) request with libcurl (the system's CA store, http and https only, no redirects,
// no signals): the response's status, or why there was none. Never waits longer than `timeout`
// (`connect_timeout` of it to connect). The response body is read and dropped.
[[nodiscard]] Result<long> send_http(const HttpRequest& request, std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds connect_timeout);

} // namespace om::ping
