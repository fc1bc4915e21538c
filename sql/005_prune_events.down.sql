-- Drops the record of what was pruned: refused while it holds any.
-- om:guard backup_prune_events rows :: SELECT COUNT(*) FROM backup_prune_events
DROP TABLE IF EXISTS backup_prune_events;
