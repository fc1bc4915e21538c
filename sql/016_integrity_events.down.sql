-- Drops the integrity events (what they were about stays in the repositories and the history).
ALTER TABLE backup_prune_events DROP INDEX IF EXISTS idx_target_id;
DROP TABLE IF EXISTS backup_integrity_events;
