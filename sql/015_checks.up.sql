-- Verifications (om-backup-check): one row per run, target and level. Checks are not backups:
-- they stay out of backup_jobs and the UI's job list. level: repository (segments and index,
-- borg check --repository-only, resumed across runs within a time budget), archives (archive
-- metadata), data (the local repository's --verify-data, or an offsite target's rotation of
-- borg extract --dry-run), copy (a cloud copy's objects against what the copy job put there).
-- status: success; corrupt (damage found: nothing was repaired); failed (the check could not
-- be done: unreachable, locked); cancelled. covered says what this run read (segments,
-- archives, objects); cycle_share how much of the target the current cycle has verified after
-- it (1: a cycle completed, and cycle_complete is 1); cycle_started_at when that cycle began;
-- time_limit_s the --max-duration borg was given (what the run took beyond it is kept out of
-- the next run's budget).
CREATE TABLE IF NOT EXISTS backup_checks (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  run_id VARCHAR(36) NOT NULL,
  host VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  target VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  repository VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  level ENUM('repository', 'archives', 'data', 'copy') NOT NULL,
  status ENUM('success', 'corrupt', 'failed', 'cancelled') NOT NULL,
  covered TEXT CHARACTER SET utf8mb4 NULL,
  bytes_read BIGINT NULL,
  cycle_share DECIMAL(7, 4) NULL,
  cycle_complete TINYINT(1) NOT NULL DEFAULT 0,
  cycle_started_at DATETIME NULL,
  time_limit_s INT NULL,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NOT NULL,
  duration_ms BIGINT NOT NULL,
  error TEXT CHARACTER SET utf8mb4 NULL,
  KEY idx_started_at (started_at),
  KEY idx_target_level (target, level, started_at),
  KEY idx_run (run_id)
);

-- The offsite data rotation: when each archive of a target was last read back whole (borg
-- extract --dry-run), so that each run reads the least recently verified ones.
CREATE TABLE IF NOT EXISTS backup_check_archives (
  target VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  archive_name VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  archive_id CHAR(64) NOT NULL,
  verified_at DATETIME NOT NULL,
  PRIMARY KEY (target, archive_name)
);
