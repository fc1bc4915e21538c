-- Drops the record of verifications (the repositories are left as they are).
DROP TABLE IF EXISTS backup_check_archives;
DROP TABLE IF EXISTS backup_checks;
