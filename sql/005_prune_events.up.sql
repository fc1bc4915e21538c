-- What om-backup-prune (and om-backup-run's prune step) deleted, when, for whom, by which
-- policy: the answer to "who deleted my backup".
CREATE TABLE IF NOT EXISTS backup_prune_events (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  pruned_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  host VARCHAR(255) NOT NULL,
  requested_by VARCHAR(255) NOT NULL,
  tool VARCHAR(64) NOT NULL,
  store ENUM('borg', 'legacy') NOT NULL,
  job_id VARCHAR(36) NULL,
  target VARCHAR(1024) NOT NULL,
  target_id VARCHAR(64) NULL,
  policy VARCHAR(255) NOT NULL,
  KEY idx_pruned_at (pruned_at),
  KEY idx_job_id (job_id)
);
