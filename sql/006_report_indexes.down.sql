-- Drops om-backup-report's indexes (no rows are lost).
ALTER TABLE backup_jobs
  DROP INDEX IF EXISTS idx_om_kind_status_created,
  DROP INDEX IF EXISTS idx_om_status_created,
  DROP INDEX IF EXISTS idx_om_kind_created,
  DROP INDEX IF EXISTS idx_om_kind_status_duration;
