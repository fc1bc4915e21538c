-- Adds 'borg' to the enums of a database created by the seed's original SQL (which had only
-- files/db/both and files/database). Only a value is added: every row keeps its value.
ALTER TABLE backup_jobs
  MODIFY COLUMN kind ENUM('files', 'db', 'both', 'borg') NOT NULL;
ALTER TABLE backup_artifacts
  MODIFY COLUMN artifact_type ENUM('files', 'database', 'borg') NOT NULL;
