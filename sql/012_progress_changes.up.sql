-- What a job is doing while it runs, for the UI (one indexed read by job_id): kept current
-- about once a second by the tool that runs the job, and left showing its end. phase: dump,
-- create, prune, compact, verify (borg); files, db (legacy); check, copy (copy); done at the
-- end. percent and eta_seconds are estimated from the previous successful job of the same kind
-- and target; NULL when there is none. status: running, then the job's end status.
CREATE TABLE IF NOT EXISTS backup_job_progress (
  job_id VARCHAR(36) PRIMARY KEY,
  status ENUM('running', 'success', 'failed', 'cancelled') NOT NULL DEFAULT 'running',
  phase VARCHAR(32) NOT NULL,
  files BIGINT NOT NULL DEFAULT 0,
  bytes_processed BIGINT NOT NULL DEFAULT 0,
  compressed_bytes BIGINT NOT NULL DEFAULT 0,
  deduplicated_bytes BIGINT NOT NULL DEFAULT 0,
  current_path TEXT CHARACTER SET utf8mb4 NULL,
  percent DECIMAL(5, 1) NULL,
  eta_seconds BIGINT NULL,
  started_at DATETIME NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE
);
-- What a borg backup changed since the previous archive of the same target: counts and bytes
-- of added, modified and removed regular files, and the largest changes as a JSON array of
-- {"path", "change", "size_before", "size_after"} (at most 20, largest first). basis: how it
-- was found (files: this host's file index of the previous archive and borg's per-file status;
-- diff: borg diff against the previous archive; first: there was no previous archive).
CREATE TABLE IF NOT EXISTS backup_job_changes (
  job_id VARCHAR(36) NOT NULL,
  target VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  previous_archive VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  basis ENUM('files', 'diff', 'first') NOT NULL,
  added_files BIGINT NOT NULL,
  added_bytes BIGINT NOT NULL,
  modified_files BIGINT NOT NULL,
  modified_bytes BIGINT NOT NULL,
  removed_files BIGINT NOT NULL,
  removed_bytes BIGINT NOT NULL,
  largest_changes LONGTEXT CHARACTER SET utf8mb4 NOT NULL,
  PRIMARY KEY (job_id, target),
  FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE
);
