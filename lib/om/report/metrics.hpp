#pragma once

#include <string>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

namespace om::report {

// Prometheus text exposition (for node_exporter's textfile collector) of the job history.
[[nodiscard]] Result<std::string> prometheus_metrics(db::Catalog& catalog);

} // namespace om::report
