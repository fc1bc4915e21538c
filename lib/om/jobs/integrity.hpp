#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <om/db/catalog.hpp>
#include <om/util/error.hpp>

// Integrity events (backup_integrity_events): what should not have happened to the backups —
// an archive that vanished from a target, a backup that changed far more than usual — open
// until an admin acknowledges it, saying who and why.
namespace om::jobs {

enum class EventKind { vanished, anomaly };

struct IntegrityEvent {
  std::int64_t id = 0;
  EventKind kind = EventKind::vanished;
  std::string target;
  std::string archive_name;
  std::optional<std::string> job_id;
  std::string detail;
  std::int64_t first_seen_at = 0;
};

[[nodiscard]] const char* name_of(EventKind kind);

// Records an event once: one that is there already (open or acknowledged) is left as it is.
// The event as recorded (with its id) when this call added it.
[[nodiscard]] Result<std::optional<IntegrityEvent>> raise_event(db::Catalog& catalog,
                                                                const IntegrityEvent& event);

// The events not acknowledged yet, oldest first; of one kind, or of every kind.
[[nodiscard]] Result<std::vector<IntegrityEvent>>
open_events(db::Catalog& catalog, std::optional<EventKind> kind = std::nullopt);

// Acknowledges an open event: who and why are kept with it. An unknown id is exit 64; one
// acknowledged already is exit 64 naming who did and when.
[[nodiscard]] Result<IntegrityEvent> acknowledge_event(db::Catalog& catalog, std::int64_t id,
                                                       const std::string& by,
                                                       const std::string& why);

// "event 12: archive om-web1-2026-… vanished from target offsite (…)", for messages.
[[nodiscard]] std::string describe(const IntegrityEvent& event);

} // namespace om::jobs
