#!/usr/bin/env bash
# Issue 6 benchmark: the legacy retention policy over 100,000 recorded backups —
# `om-backup-prune --kind legacy --dry-run` (catalog read + policy + decisions), time and peak RSS.
# JSON=1 adds --json (every decision printed).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
bench_setup
om_install_packages time
DB=om_prune
if [ "$(mariadb --socket="$SOCK" -uroot -N -e "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='$DB'")" = 0 ]; then
  mariadb --socket="$SOCK" -uroot -e "CREATE DATABASE $DB"
  "$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB"
  # 100,000 hourly `db` backups over 11 years, one artifact each.
  mariadb --socket="$SOCK" -uroot "$DB" -e "
    INSERT INTO backup_jobs (id, kind, status, requested_by, started_at, finished_at, duration_ms, created_at)
      SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'db', 'success', 'cron',
             '2015-01-01' + INTERVAL seq HOUR, '2015-01-01' + INTERVAL seq HOUR + INTERVAL 1 MINUTE, 60000,
             '2015-01-01' + INTERVAL seq HOUR FROM seq_1_to_100000;
    INSERT INTO backup_artifacts (id, job_id, artifact_type, file_path, file_size, sha256)
      SELECT CONCAT('a-', seq), CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'database',
             CONCAT('/var/backups/orthodoxmetrics/x/db-', seq, '.sql.gz'), 1000, SHA2(seq, 256) FROM seq_1_to_100000;"
fi
times=(); rss=()
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/prune.time" "$BIN/om-backup-prune" --config /dev/null \
    --db-socket "$SOCK" --db-user root --db-name "$DB" --kind legacy --dry-run \
    --keep-hourly 48 --keep-daily 30 --keep-weekly 12 --keep-monthly 6 ${JSON:+--json} >/dev/null
  read -r t m <"$BENCH_DIR/prune.time"; times+=("$t"); rss+=("$m")
  echo "run $i: $t s, $m KiB" >&2
done
echo "om-backup-prune --kind legacy --dry-run over 100,000 backups: median $(printf '%s\n' "${times[@]}" | median) s, peak RSS $(printf '%s\n' "${rss[@]}" | median) KiB"
