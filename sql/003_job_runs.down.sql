-- Drops om-backup's run details: refused while it holds any (they name log files and hosts).
-- om:guard backup_job_runs rows :: SELECT COUNT(*) FROM backup_job_runs
DROP TABLE IF EXISTS backup_job_runs;
