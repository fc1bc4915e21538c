-- Only bookkeeping: without it the next sync reads every log again, changing no job.
DROP TABLE IF EXISTS backup_log_files;
