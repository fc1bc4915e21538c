-- Drops the record of restore drills (the drills themselves left nothing behind).
DROP TABLE IF EXISTS backup_restore_drills;
