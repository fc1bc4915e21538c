-- om-backup's own per-run details, beside the UI's backup_jobs row: which host and process
-- ran a job (to close abandoned runs), its log file, repository and archive.
CREATE TABLE IF NOT EXISTS backup_job_runs (
  job_id VARCHAR(36) PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  pid INT NULL,
  origin ENUM('run', 'sync', 'spool') NOT NULL,
  log_path VARCHAR(1024) NULL,
  repository VARCHAR(1024) NULL,
  archive_name VARCHAR(255) NULL,
  archive_id CHAR(64) NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE,
  KEY idx_host (host),
  KEY idx_archive_id (archive_id)
);
