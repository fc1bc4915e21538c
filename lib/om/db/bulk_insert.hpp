#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>

namespace om::db {

// Writes many rows with multi-row INSERT statements (prepared, values bound), a chunk at a
// time: the way sync records thousands of archives without a round trip per row.
class BulkInsert {
public:
  // `head`: "INSERT IGNORE INTO t (a, b) VALUES"; `row`: "(?, FROM_UNIXTIME(?))".
  // `tail` follows the rows, e.g. "ON DUPLICATE KEY UPDATE b = VALUES(b)".
  BulkInsert(Catalog& catalog, std::string head, std::string row, std::size_t params_per_row,
             std::string tail = {}, std::size_t rows_per_statement = 500);

  [[nodiscard]] Result<void> add(std::vector<Value> row);
  // Writes what is pending; returns the rows affected so far.
  [[nodiscard]] Result<std::uint64_t> flush();

private:
  Catalog& m_catalog;
  std::string m_head;
  std::string m_row;
  std::string m_tail;
  std::size_t m_params_per_row;
  std::size_t m_rows_per_statement;
  std::vector<Value> m_pending;
  std::uint64_t m_affected = 0;
};

} // namespace om::db
