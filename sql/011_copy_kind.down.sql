-- Removes 'copy' from the enums: refused while any row uses it.
-- om:guard backup_jobs rows with kind 'copy' :: SELECT COUNT(*) FROM backup_jobs WHERE kind = 'copy'
-- om:guard backup_artifacts rows with artifact_type 'copy' :: SELECT COUNT(*) FROM backup_artifacts WHERE artifact_type = 'copy'
ALTER TABLE backup_artifacts
  DROP INDEX IF EXISTS idx_type_path;
ALTER TABLE backup_jobs
  MODIFY COLUMN kind ENUM('files', 'db', 'both', 'borg') CHARACTER SET utf8mb4 NOT NULL;
ALTER TABLE backup_artifacts
  MODIFY COLUMN artifact_type ENUM('files', 'database', 'borg') CHARACTER SET utf8mb4 NOT NULL;
