#!/usr/bin/env bash
# Issue 21 benchmark: om-backup-report digest over the last 30 days of a 100,000-job catalog
# (a year of history from several servers: about 270 jobs a day — borg backups with their
# target rows, legacy files backups with their artifacts, 2 % failures, 1 % warnings — and a
# prune event a day). Times the page (--html: the catalog's aggregates and four gnuplot SVG
# charts), the mail's PNG charts (--mail to a sendmail that discards it), and the text alone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-7}"
JOBS="${JOBS:-100000}"
om_install_packages gnuplot-nox
bench_setup
DB=om_digest
if [ "$(mariadb --socket="$SOCK" -uroot -N -e "SELECT COUNT(*) FROM information_schema.tables \
      WHERE table_schema = '$DB' AND table_name = 'backup_jobs'")" = 0 ] ||
   [ "$(mariadb --socket="$SOCK" -uroot -N "$DB" -e 'SELECT COUNT(*) FROM backup_jobs')" != "$JOBS" ]; then
  echo "seeding $JOBS jobs into $DB" >&2
  mariadb --socket="$SOCK" -uroot -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
  "$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB" >/dev/null
  python3 - "$JOBS" <<'PY' | mariadb --socket="$SOCK" -uroot "$DB"
import random, sys, uuid
jobs = int(sys.argv[1])
rnd = random.Random(21)
span = 365 * 86400
print("SET autocommit = 0;")
batch = {"j": [], "r": [], "t": [], "a": []}
def flush():
    for table, cols, key in (("backup_jobs", "(id, kind, status, requested_by, started_at, finished_at, duration_ms, error, created_at)", "j"),
                             ("backup_job_runs", "(job_id, host, pid, origin)", "r"),
                             ("backup_job_targets", "(job_id, target, repository, status, original_size, compressed_size, deduplicated_size, started_at, finished_at, duration_ms)", "t"),
                             ("backup_artifacts", "(id, job_id, artifact_type, file_path, file_size)", "a")):
        if batch[key]:
            print("INSERT INTO %s %s VALUES %s;" % (table, cols, ",".join(batch[key])))
            batch[key].clear()
    print("COMMIT;")
for i in range(jobs):
    jid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
    ago = span * (jobs - i) // jobs
    kind = "borg" if rnd.random() < 0.8 else "files"
    r = rnd.random()
    status, error = ("failed", "'borg create failed: Connection closed by remote host'") if r < 0.02 else \
        ("success", "'warning: a file changed while it was read'") if r < 0.03 else ("success", "NULL")
    dur = int(rnd.gauss(600000 if kind == "borg" else 120000, 30000))
    t = "FROM_UNIXTIME(UNIX_TIMESTAMP() - %d)" % ago
    batch["j"].append("('%s','%s','%s','cron',%s,%s + INTERVAL %d SECOND,%d,%s,%s)" % (jid, kind, status, t, t, dur // 1000, dur, error, t))
    batch["r"].append("('%s','web%d',1,'run')" % (jid, i % 5))
    if kind == "borg" and status == "success":
        batch["t"].append("('%s','local','/var/backups/OM/repo','success',%d,%d,%d,%s,%s,%d)" % (jid, 5_000_000_000 + i * 10_000, 3_000_000_000 + i * 6_000, 40_000_000, t, t, dur))
    elif status == "success":
        batch["a"].append("('%s','%s','files','/var/backups/OM/files-%d.tar.gz',%d)" % (uuid.UUID(int=rnd.getrandbits(128), version=4), jid, i, 800_000_000))
    if len(batch["j"]) >= 2000:
        flush()
flush()
print("INSERT INTO backup_prune_events (pruned_at, host, requested_by, tool, store, target, policy) "
      "SELECT FROM_UNIXTIME(UNIX_TIMESTAMP() - seq * 86400), 'web1', 'cron', 'om-backup-run', 'borg', "
      "CONCAT('om-web1-', seq), 'keep 30 daily' FROM seq_1_to_365;")
print("INSERT INTO backup_settings (id, schedule) VALUES (1, '0 2 * * *') ON DUPLICATE KEY UPDATE schedule = VALUES(schedule);")
print("COMMIT;")
PY
fi
echo "catalog: $(mariadb --socket="$SOCK" -uroot -N "$DB" -e 'SELECT COUNT(*) FROM backup_jobs') jobs, \
$(mariadb --socket="$SOCK" -uroot -N "$DB" -e 'SELECT COUNT(*) FROM backup_jobs WHERE created_at >= NOW() - INTERVAL 30 DAY') in the last 30 days"
REPORT=("$BIN/om-backup-report" --config /dev/null --db-socket "$SOCK" --db-user root --db-name "$DB"
        --repo "$BENCH_DIR/no-repository" digest --since 30d)
OUT="$BENCH_DIR/digest"; mkdir -p "$OUT"
printf '#!/bin/sh\ncat >/dev/null\n' >"$OUT/sendmail"; chmod +x "$OUT/sendmail"
timed() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk "BEGIN {print $t1 - $t0}"; }
page=(); mail=(); text=()
for i in $(seq 1 "$RUNS"); do
  page+=("$(timed "${REPORT[@]}" --html "$OUT/digest.html")")
  mail+=("$(timed "${REPORT[@]}" --mail --mail-to admin@example.org --sendmail "$OUT/sendmail")")
  text+=("$(timed "${REPORT[@]}")")
  echo "run $i: page ${page[-1]} s, mail ${mail[-1]} s, text ${text[-1]} s" >&2
done
echo "digest --html median: $(printf '%s\n' "${page[@]}" | median) s (target <= 1 s)"
echo "digest --mail median: $(printf '%s\n' "${mail[@]}" | median) s"
echo "digest (text) median: $(printf '%s\n' "${text[@]}" | median) s"
echo "page: $(wc -c <"$OUT/digest.html") bytes"
