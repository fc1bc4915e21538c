#!/usr/bin/env bash
# Issue 5 benchmark: om-backup-sync of 10,000 archives (list + info JSON) and 10,000 logs into
# an empty catalog, then again with nothing new, against the floor: the same rows as one
# multi-row INSERT per table through the mariadb client. Also peak RSS at 100,000 archives.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
bench_setup
om_install_packages time
DATA="$BENCH_DIR/sync-10k"
[ -f "$DATA/floor.sql" ] || python3 "$OM_ROOT/bench/gen_sync_data.py" "$DATA" 10000 10000
fresh_db() {
  mariadb --socket="$SOCK" -uroot -e "DROP DATABASE IF EXISTS om_sync; CREATE DATABASE om_sync"
  "$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name om_sync
}
SYNC=("$BIN/om-backup-sync" --config /dev/null --db-socket "$SOCK" --db-user root --db-name om_sync
      --borg-list-json "$DATA/list.json" --borg-info-json "$DATA/info.json" --borg-tz UTC
      --log-dir "$DATA/logs" --log-tz UTC --state-dir "$BENCH_DIR/sync-state")
floor=(); first=(); noop=()
for i in $(seq 1 "$RUNS"); do
  fresh_db
  t0=$(now); mariadb --socket="$SOCK" -uroot om_sync <"$DATA/floor.sql"; t1=$(now)
  floor+=("$(awk "BEGIN {print $t1 - $t0}")")
  fresh_db; rm -rf "$BENCH_DIR/sync-state"
  t0=$(now); "${SYNC[@]}"; t1=$(now); first+=("$(awk "BEGIN {print $t1 - $t0}")")
  t0=$(now); "${SYNC[@]}"; t1=$(now); noop+=("$(awk "BEGIN {print $t1 - $t0}")")
  echo "run $i: floor ${floor[-1]} s, first sync ${first[-1]} s, no-op ${noop[-1]} s" >&2
done
mf=$(printf '%s\n' "${floor[@]}" | median); m1=$(printf '%s\n' "${first[@]}" | median)
echo "floor (multi-row INSERT via mariadb) median: $mf s"
echo "first sync median: $m1 s  (ratio $(awk "BEGIN {printf \"%.2f\", $m1 / $mf}"))"
echo "no-op re-sync median: $(printf '%s\n' "${noop[@]}" | median) s"
echo "jobs after sync: $(mariadb --socket="$SOCK" -uroot -N om_sync -e 'SELECT COUNT(*) FROM backup_jobs')"

BIG="$BENCH_DIR/sync-100k"
[ -f "$BIG/info.json" ] || python3 "$OM_ROOT/bench/gen_sync_data.py" "$BIG" 100000 0
fresh_db; rm -rf "$BENCH_DIR/sync-state"
/usr/bin/time -f "%M" -o "$BENCH_DIR/rss" "$BIN/om-backup-sync" --config /dev/null --db-socket "$SOCK" \
  --db-user root --db-name om_sync --borg-list-json "$BIG/list.json" --borg-info-json "$BIG/info.json" \
  --borg-tz UTC --log-dir "$BIG/logs" --state-dir "$BENCH_DIR/sync-state"
echo "peak RSS at 100,000 archives: $(cat "$BENCH_DIR/rss") KiB"
