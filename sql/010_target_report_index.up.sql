-- A target's newest success (om-backup-report check, metrics, stats) and its newest attempt
-- read from an index, however long its history: (target, status, finished_at).
ALTER TABLE backup_job_targets
  ADD INDEX IF NOT EXISTS idx_target_status_finished (target, status, finished_at);
