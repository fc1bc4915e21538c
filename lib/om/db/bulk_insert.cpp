#include <om/db/bulk_insert.hpp>

namespace om::db {

BulkInsert::BulkInsert(Catalog& catalog, std::string head, std::string row,
                       std::size_t params_per_row, std::string tail, std::size_t rows_per_statement)
    : m_catalog(catalog), m_head(std::move(head)), m_row(std::move(row)), m_tail(std::move(tail)),
      m_params_per_row(params_per_row), m_rows_per_statement(rows_per_statement) {}

Result<void> BulkInsert::add(std::vector<Value> row) {
  if (row.size() != m_params_per_row)
    return fail("bulk insert: a row of " + std::to_string(row.size()) + " values, expected " +
                std::to_string(m_params_per_row));
  for (auto& v : row)
    m_pending.push_back(std::move(v));
  if (m_pending.size() >= m_params_per_row * m_rows_per_statement)
    OM_TRY_VOID(flush());
  return {};
}

Result<std::uint64_t> BulkInsert::flush() {
  if (m_pending.empty())
    return m_affected;
  std::size_t rows = m_pending.size() / m_params_per_row;
  std::string sql = m_head;
  sql.reserve(m_head.size() + rows * (m_row.size() + 1));
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? " " : ",";
    sql += m_row;
  }
  if (!m_tail.empty())
    sql += " " + m_tail;
  OM_TRY(n, m_catalog.execute(sql, m_pending));
  m_pending.clear();
  m_affected += n;
  return m_affected;
}

} // namespace om::db
