#include <om/config/catalog.hpp>

#include <om/config/settings.hpp>
#include <om/db/migrations.hpp>

namespace om::config {

Result<db::Catalog> open_catalog(const Options& options, bool require_schema) {
  OM_TRY(catalog, db::Catalog::connect(options.catalog));
  if (require_schema)
    OM_TRY_VOID(db::require_current_schema(catalog));
  return catalog;
}

Result<db::Catalog> open_catalog_with_settings(Options& options) {
  OM_TRY(catalog, open_catalog(options, true));
  OM_TRY(settings, load_settings(catalog));
  if (options.apply_settings)
    OM_TRY_VOID(options.apply_settings(settings));
  return catalog;
}

} // namespace om::config
