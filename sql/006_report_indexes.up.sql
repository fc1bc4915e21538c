-- Indexes for om-backup-report on long histories (issue 7: a million jobs): the newest job of
-- a kind and/or status without scanning, and a kind's successful durations in order (min,
-- max and percentiles read from the index, not sorted). Indexes only: the UI's tables keep
-- their shape.
ALTER TABLE backup_jobs
  ADD INDEX IF NOT EXISTS idx_om_kind_status_created (kind, status, created_at),
  ADD INDEX IF NOT EXISTS idx_om_status_created (status, created_at),
  ADD INDEX IF NOT EXISTS idx_om_kind_created (kind, created_at),
  ADD INDEX IF NOT EXISTS idx_om_kind_status_duration (kind, status, duration_ms);
