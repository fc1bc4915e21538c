#!/usr/bin/env bash
# Issue 7 benchmark: om-backup-report over 1,000,000 jobs and 1,500,000 artifacts (one an
# hour from 1970, of every kind and status, run on two hosts): `stats`, `check`, `metrics` and
# `jobs --limit 50`, each also for one host (--host), wall time of the whole process (start, connect, schema check, queries,
# output), median of RUNS.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-7}"
bench_setup
DB=om_report
# Generated once and kept (a marker table says the generation finished).
if [ "$(mariadb --socket="$SOCK" -uroot -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$DB' AND table_name='bench_generated'")" = 0 ]; then
  mariadb --socket="$SOCK" -uroot -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
  "$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB" --to 5
  # Jobs: 40% borg, 50% both (two artifacts), 5% db, 5% files; 90% success, 6% failed, 3%
  # cancelled, the rest queued or running; durations spread over a few minutes.
  mariadb --socket="$SOCK" -uroot "$DB" -e "
    SET unique_checks = 0, foreign_key_checks = 0;
    INSERT INTO backup_jobs (id, kind, status, requested_by, started_at, finished_at, duration_ms, error, created_at)
      SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')),
             ELT(1 + (seq % 20 >= 8) + (seq % 20 >= 18) + (seq % 20 >= 19), 'borg', 'both', 'db', 'files'),
             IF(seq % 100 < 90, 'success', IF(seq % 100 < 96, 'failed', IF(seq % 100 < 99, 'cancelled',
                IF(seq < 999990, 'failed', 'running')))),
             IF(seq % 3 = 0, 'cron', 'script:root@om-prod'),
             '1970-01-01' + INTERVAL seq HOUR, '1970-01-01' + INTERVAL seq HOUR + INTERVAL (30 + seq % 600) SECOND,
             (30 + seq % 600) * 1000 + seq % 1000,
             IF(seq % 100 BETWEEN 90 AND 95, 'borg create: Failed to create/acquire the lock', NULL),
             '1970-01-01' + INTERVAL seq HOUR FROM seq_1_to_1000000;
    INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256, created_at)
      SELECT CONCAT('a0000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')),
             IF(seq % 20 < 8, 'borg', IF(seq % 20 < 18, 'files', IF(seq % 20 = 18, 'database', 'files'))),
             CONCAT('/var/backups/OM/prod/files-', seq, '.tar.gz'), 1000000 + seq, SHA2(seq, 256),
             '1970-01-01' + INTERVAL seq HOUR FROM seq_1_to_1000000;
    INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256, created_at)
      SELECT CONCAT('b0000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')),
             'database', CONCAT('/var/backups/OM/prod/db-', seq, '.sql.gz'), 50000 + seq, SHA2(seq + 7, 256),
             '1970-01-01' + INTERVAL seq HOUR FROM seq_1_to_1000000 WHERE seq % 20 BETWEEN 8 AND 17;
    CREATE TABLE bench_generated (at DATETIME);"
fi
# Bring the schema to the newest migration (indexes added by later migrations are timed here).
"$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB"
# Several servers (issue 19): every job ran on web1 or web2, as backup_job_runs records it.
if [ "$(mariadb --socket="$SOCK" -uroot -N "$DB" -e 'SELECT COUNT(*) FROM backup_job_runs')" = 0 ]; then
  mariadb --socket="$SOCK" -uroot "$DB" -e "
    SET unique_checks = 0, foreign_key_checks = 0;
    INSERT INTO backup_job_runs (job_id, host, pid, origin)
      SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), IF(seq % 2 = 0, 'web1', 'web2'),
             seq % 32768, 'run' FROM seq_1_to_1000000;"
fi
echo "catalog: $(mariadb --socket="$SOCK" -uroot -N "$DB" -e 'SELECT (SELECT COUNT(*) FROM backup_jobs), (SELECT COUNT(*) FROM backup_artifacts)') (jobs, artifacts)"
REPORT=("$BIN/om-backup-report" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB")
time_of() { # median seconds of RUNS runs of "$@" (after one warm-up)
  "$@" >/dev/null || [ $? -le 3 ]
  local ts=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1; t0=$(now); "$@" >/dev/null || [ $? -le 3 ]; t1=$(now)
    ts+=("$(awk "BEGIN {print $t1 - $t0}")")
  done
  printf '%s\n' "${ts[@]}" | median
}
for sub in "stats" "check --max-age 26h" "metrics" "jobs --limit 50" "jobs --limit 50 --kind db --status failed" \
  "jobs --limit 50 --host web2" "check --max-age 26h --host web2" "stats --host web2"; do
  # shellcheck disable=SC2086
  echo "om-backup-report $sub: median $(time_of "${REPORT[@]}" $sub) s"
done
