-- Drops the targets' report index (no rows are lost).
ALTER TABLE backup_job_targets
  DROP INDEX IF EXISTS idx_target_status_finished;
