-- The three tables the application's Node UI reads, exactly as the seed creates them.
-- IF NOT EXISTS: a database that already has them (from the seed) keeps them and their rows.
CREATE TABLE IF NOT EXISTS backup_jobs (
  id VARCHAR(36) PRIMARY KEY,
  kind ENUM('files', 'db', 'both', 'borg') NOT NULL,
  status ENUM('queued', 'running', 'success', 'failed', 'cancelled') NOT NULL DEFAULT 'queued',
  requested_by VARCHAR(255),
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  duration_ms BIGINT NULL,
  error TEXT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_status (status),
  KEY idx_created_at (created_at)
);

CREATE TABLE IF NOT EXISTS backup_artifacts (
  id VARCHAR(36) PRIMARY KEY,
  job_id VARCHAR(36) NOT NULL,
  artifact_type ENUM('files', 'database', 'borg') NOT NULL,
  file_path VARCHAR(512) NOT NULL,
  file_size BIGINT NOT NULL,
  sha256 VARCHAR(64),
  manifest_path VARCHAR(512),
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (job_id) REFERENCES backup_jobs(id) ON DELETE CASCADE,
  KEY idx_job_id (job_id)
);

CREATE TABLE IF NOT EXISTS backup_settings (
  id INT PRIMARY KEY AUTO_INCREMENT,
  enabled BOOLEAN DEFAULT TRUE,
  schedule VARCHAR(50) DEFAULT '0 2 * * *',
  keep_hourly INT DEFAULT 48,
  keep_daily INT DEFAULT 30,
  keep_weekly INT DEFAULT 12,
  keep_monthly INT DEFAULT 6,
  compression_level INT DEFAULT 3,
  borg_repo_path VARCHAR(255) DEFAULT '/var/backups/OM/repo',
  include_database BOOLEAN DEFAULT TRUE,
  include_files BOOLEAN DEFAULT TRUE,
  include_uploads BOOLEAN DEFAULT TRUE,
  email_notifications BOOLEAN DEFAULT FALSE,
  notification_email VARCHAR(255),
  verify_after_backup BOOLEAN DEFAULT TRUE,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
