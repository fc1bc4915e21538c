-- Removes 'borg' from the enums: refused while any row uses it.
-- om:guard backup_jobs rows with kind 'borg' :: SELECT COUNT(*) FROM backup_jobs WHERE kind = 'borg'
-- om:guard backup_artifacts rows with artifact_type 'borg' :: SELECT COUNT(*) FROM backup_artifacts WHERE artifact_type = 'borg'
ALTER TABLE backup_jobs
  MODIFY COLUMN kind ENUM('files', 'db', 'both') NOT NULL;
ALTER TABLE backup_artifacts
  MODIFY COLUMN artifact_type ENUM('files', 'database') NOT NULL;
