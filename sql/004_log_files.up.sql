-- Log files om-backup-sync has read, so an unchanged file is never parsed again and a grown
-- one is read again. Keyed by the SHA-256 of the path (paths are too long for an index).
CREATE TABLE IF NOT EXISTS backup_log_files (
  path_sha256 CHAR(64) PRIMARY KEY,
  path VARCHAR(1024) NOT NULL,
  inode BIGINT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  outcome ENUM('success', 'failed', 'in_progress', 'own') NOT NULL,
  job_id VARCHAR(36) NULL,
  ingested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY idx_job_id (job_id)
);
