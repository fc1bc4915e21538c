-- Restore drills (om-backup-restore verify): which backup was restored into scratch places,
-- when, by which host, and whether it came back. The weekly digest shows them.
CREATE TABLE IF NOT EXISTS backup_restore_drills (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NOT NULL,
  duration_ms BIGINT NOT NULL,
  host VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  source VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  status ENUM('success', 'failed', 'cancelled') NOT NULL,
  error TEXT CHARACTER SET utf8mb4 NULL,
  KEY idx_started_at (started_at)
);
