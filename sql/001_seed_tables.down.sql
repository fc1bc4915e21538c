-- Drops the application's tables: refused while any of them holds a row.
-- om:guard backup_jobs rows :: SELECT COUNT(*) FROM backup_jobs
-- om:guard backup_artifacts rows :: SELECT COUNT(*) FROM backup_artifacts
-- om:guard backup_settings rows :: SELECT COUNT(*) FROM backup_settings
DROP TABLE IF EXISTS backup_artifacts;
DROP TABLE IF EXISTS backup_jobs;
DROP TABLE IF EXISTS backup_settings;
