-- Integrity events: what should not have happened to the backups, until an admin says why it
-- did (om-backup-check --ack). kind: vanished (an archive gone from a target that om-backup did
-- not prune and whose retention would have kept it: its artifact row stays, and this row marks
-- it missing), anomaly (a backup that changed far more files than usual: nothing is pruned on
-- any target until it is acknowledged). One event per kind, target and archive.
CREATE TABLE IF NOT EXISTS backup_integrity_events (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  kind ENUM('vanished', 'anomaly') NOT NULL,
  target VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  archive_name VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  job_id VARCHAR(36) NULL,
  detail TEXT CHARACTER SET utf8mb4 NULL,
  first_seen_at DATETIME NOT NULL,
  acknowledged_by VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  acknowledged_at DATETIME NULL,
  acknowledged_why TEXT CHARACTER SET utf8mb4 NULL,
  UNIQUE KEY uq_event (kind, target, archive_name),
  KEY idx_open (acknowledged_at, kind)
);

-- "Did om-backup prune this archive?", asked by archive id for each archive gone from a target.
ALTER TABLE backup_prune_events ADD INDEX IF NOT EXISTS idx_target_id (target_id);
