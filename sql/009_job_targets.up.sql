-- One row per target of a borg job: a run writes one archive to each repository it backs up
-- to (local, offsite, ...), and each can succeed or fail alone. The job's row in backup_jobs
-- is the whole; this is what each copy did. job_id keeps the table's default character set,
-- as backup_jobs.id has it (a foreign key needs both alike); the text columns are utf8mb4.
CREATE TABLE IF NOT EXISTS backup_job_targets (
  job_id VARCHAR(36) NOT NULL,
  target VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  repository VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  status ENUM('running', 'success', 'failed', 'cancelled') NOT NULL,
  error TEXT CHARACTER SET utf8mb4 NULL,
  archive_name VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  archive_id CHAR(64) NULL,
  original_size BIGINT NULL,
  compressed_size BIGINT NULL,
  deduplicated_size BIGINT NULL,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  duration_ms BIGINT NULL,
  PRIMARY KEY (job_id, target),
  KEY idx_target_finished (target, finished_at),
  FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE
);
