-- A log om-backup-sync could not ingest (unreadable, a link out of the log folder, refused by
-- the catalog) is recorded as 'skipped', so it is tried again only once it changes and every
-- other log is still ingested.
ALTER TABLE backup_log_files
  MODIFY outcome ENUM('success', 'failed', 'in_progress', 'own', 'skipped') NOT NULL;
