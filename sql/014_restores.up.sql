-- Restores (om-backup-restore files and db) as they run and after: what was restored from where
-- to where, by whom on which host, how it ended, and its progress, kept current about once a
-- second while it runs (one indexed read by id, like backup_job_progress for jobs). Restores
-- are not backups: they stay out of backup_jobs and the UI's job list. phase: files or db,
-- then done. bytes_total is what borg or the legacy artifact says there is to read; percent
-- and eta_seconds come from it. status: running, then success, failed or cancelled.
CREATE TABLE IF NOT EXISTS backup_restores (
  id VARCHAR(36) PRIMARY KEY,
  what ENUM('files', 'db') NOT NULL,
  source VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  source_job_id VARCHAR(36) NULL,
  destination VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  host VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  requested_by VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  log_path VARCHAR(1024) CHARACTER SET utf8mb4 NULL,
  status ENUM('running', 'success', 'failed', 'cancelled') NOT NULL DEFAULT 'running',
  error TEXT CHARACTER SET utf8mb4 NULL,
  phase VARCHAR(32) NOT NULL,
  bytes_processed BIGINT NOT NULL DEFAULT 0,
  bytes_total BIGINT NULL,
  current_path TEXT CHARACTER SET utf8mb4 NULL,
  percent DECIMAL(5, 1) NULL,
  eta_seconds BIGINT NULL,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NULL,
  duration_ms BIGINT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_started_at (started_at),
  KEY idx_status (status)
);
