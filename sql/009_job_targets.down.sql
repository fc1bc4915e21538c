-- Drops the per-target results: refused while it holds any (the jobs themselves stay).
-- om:guard backup_job_targets rows :: SELECT COUNT(*) FROM backup_job_targets
DROP TABLE IF EXISTS backup_job_targets;
