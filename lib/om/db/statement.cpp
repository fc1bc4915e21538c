#include <om/db/statement.hpp>

#include <cstring>
#include <memory>
#include <string>

#include <om/util/strings.hpp>

namespace om::db::detail {
namespace {

std::unexpected<Error> server_error(unsigned code, const char* message) {
  return fail(ExitStatus::failed, std::string(message) + " (error " + std::to_string(code) + ")");
}

Result<StatementResult> run_text(MYSQL* mysql, std::string_view sql, bool want_rows) {
  if (mysql_real_query(mysql, sql.data(), sql.size()) != 0)
    return server_error(mysql_errno(mysql), mysql_error(mysql));
  StatementResult out;
  MYSQL_RES* res = mysql_store_result(mysql);
  if (res == nullptr) {
    if (mysql_field_count(mysql) != 0)
      return server_error(mysql_errno(mysql), mysql_error(mysql));
    out.affected_rows = mysql_affected_rows(mysql);
    return out;
  }
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> guard(res, mysql_free_result);
  if (!want_rows)
    return out;
  unsigned n = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    Row r;
    r.cells.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      if (row[i] == nullptr)
        r.cells.emplace_back(std::nullopt);
      else
        r.cells.emplace_back(std::string(row[i], lengths[i]));
    }
    out.rows.push_back(std::move(r));
  }
  return out;
}

struct StmtCloser {
  void operator()(MYSQL_STMT* s) const { mysql_stmt_close(s); }
};

// Text that is not valid UTF-8 is bound repaired (a copy kept in `repaired`), so a stray byte
// from a log or a file name never makes a strict server refuse the whole statement.
void bind_param(MYSQL_BIND& bind, const Value& value, std::vector<std::string>& repaired) {
  std::memset(&bind, 0, sizeof bind);
  if (std::holds_alternative<std::monostate>(value)) {
    bind.buffer_type = MYSQL_TYPE_NULL;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    bind.buffer_type = MYSQL_TYPE_LONGLONG;
    bind.buffer = const_cast<std::int64_t*>(i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    bind.buffer_type = MYSQL_TYPE_DOUBLE;
    bind.buffer = const_cast<double*>(d);
  } else {
    const std::string* text = &std::get<std::string>(value);
    if (!util::is_valid_utf8(*text)) {
      repaired.push_back(util::to_valid_utf8(*text));
      text = &repaired.back();
    }
    const auto& s = *text;
    bind.buffer_type = MYSQL_TYPE_STRING;
    bind.buffer = const_cast<char*>(s.data());
    bind.buffer_length = s.size();
  }
}

Result<Rows> fetch_rows(MYSQL_STMT* stmt, MYSQL_RES* meta) {
  my_bool update_max = 1;
  mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
  if (mysql_stmt_store_result(stmt) != 0)
    return server_error(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
  unsigned n = mysql_num_fields(meta);
  MYSQL_FIELD* fields = mysql_fetch_fields(meta);
  std::vector<MYSQL_BIND> binds(n);
  std::vector<std::string> buffers(n);
  std::vector<unsigned long> lengths(n);
  std::vector<my_bool> nulls(n);
  for (unsigned i = 0; i < n; ++i) {
    buffers[i].resize(std::max<unsigned long>(fields[i].max_length, 64) + 1);
    std::memset(&binds[i], 0, sizeof(MYSQL_BIND));
    binds[i].buffer_type = MYSQL_TYPE_STRING;
    binds[i].buffer = buffers[i].data();
    binds[i].buffer_length = buffers[i].size();
    binds[i].length = &lengths[i];
    binds[i].is_null = &nulls[i];
  }
  if (n > 0 && mysql_stmt_bind_result(stmt, binds.data()) != 0)
    return server_error(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
  Rows rows;
  rows.reserve(mysql_stmt_num_rows(stmt));
  while (true) {
    int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA)
      break;
    if (rc == 1)
      return server_error(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
    Row r;
    r.cells.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      if (nulls[i] != 0)
        r.cells.emplace_back(std::nullopt);
      else
        r.cells.emplace_back(
            std::string(buffers[i].data(), std::min<unsigned long>(lengths[i], buffers[i].size())));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

} // namespace

Result<StatementResult> run_statement(MYSQL* mysql, std::string_view sql,
                                      const std::vector<Value>& params, bool want_rows) {
  if (params.empty())
    return run_text(mysql, sql, want_rows);
  std::unique_ptr<MYSQL_STMT, StmtCloser> stmt(mysql_stmt_init(mysql));
  if (!stmt)
    return server_error(mysql_errno(mysql), mysql_error(mysql));
  if (mysql_stmt_prepare(stmt.get(), sql.data(), sql.size()) != 0)
    return server_error(mysql_stmt_errno(stmt.get()), mysql_stmt_error(stmt.get()));
  if (mysql_stmt_param_count(stmt.get()) != params.size())
    return fail("statement expects " + std::to_string(mysql_stmt_param_count(stmt.get())) +
                " parameters, got " + std::to_string(params.size()));
  std::vector<MYSQL_BIND> binds(params.size());
  std::vector<std::string> repaired;
  repaired.reserve(params.size()); // never reallocated: binds point into it
  for (std::size_t i = 0; i < params.size(); ++i)
    bind_param(binds[i], params[i], repaired);
  if (mysql_stmt_bind_param(stmt.get(), binds.data()) != 0 || mysql_stmt_execute(stmt.get()) != 0)
    return server_error(mysql_stmt_errno(stmt.get()), mysql_stmt_error(stmt.get()));
  StatementResult out;
  MYSQL_RES* meta = mysql_stmt_result_metadata(stmt.get());
  if (meta == nullptr) {
    out.affected_rows = mysql_stmt_affected_rows(stmt.get());
    return out;
  }
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> guard(meta, mysql_free_result);
  if (want_rows) {
    OM_TRY(rows, fetch_rows(stmt.get(), meta));
    out.rows = std::move(rows);
  }
  return out;
}

} // namespace om::db::detail
