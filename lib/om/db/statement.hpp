#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <mysql.h>

#include <om/db/value.hpp>
#include <om/util/error.hpp>

namespace om::db::detail {

struct StatementResult {
  std::uint64_t affected_rows = 0;
  Rows rows;
};

// Runs one statement: a prepared statement with bound parameters, or the text protocol when
// there are none (DDL, transaction control). Errors carry the server's message and code.
[[nodiscard]] Result<StatementResult>
run_statement(MYSQL* mysql, std::string_view sql, const std::vector<Value>& params, bool want_rows);

} // namespace om::db::detail
