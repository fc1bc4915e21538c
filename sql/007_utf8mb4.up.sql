-- Text columns become utf8mb4 where the server created them in a narrower character set (a
-- server started without Debian's defaults is latin1): Greek, CJK and emoji in archive names,
-- paths, hosts and errors are stored as they are instead of refused or turned into '?'.
-- Each column keeps its type, length, nullability and default, so the UI reads the same shape.
-- The UUID key columns (id, job_id) are left as they are: they hold only ASCII, and foreign
-- keys pin them. On a server whose tables are utf8mb4 already this changes nothing.
ALTER TABLE backup_jobs
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY requested_by VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  MODIFY error TEXT CHARACTER SET utf8mb4 NULL;
ALTER TABLE backup_artifacts
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY file_path VARCHAR(512) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY sha256 VARCHAR(64) CHARACTER SET utf8mb4 NULL,
  MODIFY manifest_path VARCHAR(512) CHARACTER SET utf8mb4 NULL;
ALTER TABLE backup_settings
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY schedule VARCHAR(50) CHARACTER SET utf8mb4 DEFAULT '0 2 * * *',
  MODIFY borg_repo_path VARCHAR(255) CHARACTER SET utf8mb4 DEFAULT '/var/backups/OM/repo',
  MODIFY notification_email VARCHAR(255) CHARACTER SET utf8mb4 NULL;
ALTER TABLE backup_job_runs
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY host VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY log_path VARCHAR(1024) CHARACTER SET utf8mb4 NULL,
  MODIFY repository VARCHAR(1024) CHARACTER SET utf8mb4 NULL,
  MODIFY archive_name VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  MODIFY archive_id CHAR(64) CHARACTER SET utf8mb4 NULL;
ALTER TABLE backup_log_files
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY path VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL;
ALTER TABLE backup_prune_events
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY host VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY requested_by VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY tool VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY target VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  MODIFY target_id VARCHAR(64) CHARACTER SET utf8mb4 NULL,
  MODIFY policy VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL;
ALTER TABLE backup_schema_migrations
  DEFAULT CHARACTER SET utf8mb4,
  MODIFY name VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL;
