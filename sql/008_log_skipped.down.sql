-- Forgets which logs were skipped (they are tried again), then drops the value. No job is lost.
DELETE FROM backup_log_files WHERE outcome = 'skipped';
ALTER TABLE backup_log_files
  MODIFY outcome ENUM('success', 'failed', 'in_progress', 'own') NOT NULL;
