-- Drops the progress and change tables: what they held is a view of running jobs and of
-- archives that still exist (report diff asks borg again).
DROP TABLE IF EXISTS backup_job_changes;
DROP TABLE IF EXISTS backup_job_progress;
