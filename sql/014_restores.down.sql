-- Drops the record of restores (the restored files and databases are left as they are).
DROP TABLE IF EXISTS backup_restores;
