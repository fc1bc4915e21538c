#pragma once

#include <om/db/value.hpp>

// The sizes of the history tables' text columns (sql/001, 003, 004, 005, 009): every text written
// into them is fitted to these by us (db::fitted), so a long error or path is shortened with a
// visible marker instead of refused or cut by the server.
namespace om::jobs::columns {

inline constexpr db::TextLimit requested_by = db::varchar(255);
inline constexpr db::TextLimit error = db::k_text_column;
inline constexpr db::TextLimit file_path = db::varchar(512);
inline constexpr db::TextLimit manifest_path = db::varchar(512);
inline constexpr db::TextLimit host = db::varchar(255);
inline constexpr db::TextLimit log_path = db::varchar(1024);
inline constexpr db::TextLimit repository = db::varchar(1024);
inline constexpr db::TextLimit archive_name = db::varchar(255);
inline constexpr db::TextLimit prune_tool = db::varchar(64);
inline constexpr db::TextLimit prune_target = db::varchar(1024);
inline constexpr db::TextLimit prune_policy = db::varchar(255);
inline constexpr db::TextLimit target_name = db::varchar(64);

} // namespace om::jobs::columns
