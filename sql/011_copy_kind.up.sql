-- Adds 'copy' to the enums: a copy of the repositories to cloud storage (om-backup-copy) is a
-- job of kind 'copy' with an artifact of type 'copy' per destination. Only a value is added
-- (at the end, so every stored value keeps its number); the columns keep their character set.
ALTER TABLE backup_jobs
  MODIFY COLUMN kind ENUM('files', 'db', 'both', 'borg', 'copy') CHARACTER SET utf8mb4 NOT NULL;
ALTER TABLE backup_artifacts
  MODIFY COLUMN artifact_type ENUM('files', 'database', 'borg', 'copy') CHARACTER SET utf8mb4
    NOT NULL;
-- A destination's newest copy (check --max-copy-age, metrics) from an index, however long the
-- history: copies are found by type and destination without reading every artifact.
ALTER TABLE backup_artifacts
  ADD INDEX IF NOT EXISTS idx_type_path (artifact_type, file_path);
