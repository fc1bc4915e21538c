#!/usr/bin/env bash
# om-backup-sync of 10,000 archives (list + info JSON) and 10,000 logs into an empty catalog,
# then again with nothing new, against the floor: the whole unavoidable work, i.e. the same rows
# as one multi-row INSERT per table through the mariadb client, plus creating as many manifest
# files of the same size in the same file system with a plain C loop (bench/create_files.c),
# measured alternately with the sync in each round. Also peak RSS at 100,000 archives.
# BASELINE_BIN=DIR (the tools/ folder of another build, e.g. of an earlier commit) runs that
# build's sync too, alternately in each round, so both meet the same disk and the same load.
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
cc -O2 -o "$BENCH_DIR/create_files" "$OM_ROOT/bench/create_files.c"
SYNC_ARGS=(--config /dev/null --db-socket "$SOCK" --db-user root --db-name om_sync
      --borg-list-json "$DATA/list.json" --borg-info-json "$DATA/info.json" --borg-tz UTC
      --log-dir "$DATA/logs" --log-tz UTC --state-dir "$BENCH_DIR/sync-state")
# Times a first sync into an empty catalog, then a no-op one, with the build in $1.
time_sync() {
  fresh_db; rm -rf "$BENCH_DIR/sync-state"
  local t0 t1 t2
  t0=$(now); "$1/om-backup-sync" "${SYNC_ARGS[@]}"; t1=$(now); "$1/om-backup-sync" "${SYNC_ARGS[@]}"; t2=$(now)
  echo "$(awk "BEGIN {print $t1 - $t0}") $(awk "BEGIN {print $t2 - $t1}")"
}
# A first sync not timed: it warms the caches and tells the manifests' number and size.
time_sync "$BIN" >/dev/null
MANIFESTS=$(find "$BENCH_DIR/sync-state/manifests" -name '*.json' | wc -l)
MANIFEST_BYTES=$(( $(du -sb --apparent-size "$BENCH_DIR/sync-state/manifests" | cut -f1) / MANIFESTS ))
echo "manifests per sync: $MANIFESTS of about $MANIFEST_BYTES bytes" >&2
floor=(); inserts=(); files=(); first=(); noop=(); base_first=(); base_noop=()
for i in $(seq 1 "$RUNS"); do
  fresh_db
  t0=$(now); mariadb --socket="$SOCK" -uroot om_sync <"$DATA/floor.sql"; t1=$(now)
  rm -rf "$BENCH_DIR/floor-files"
  "$BENCH_DIR/create_files" "$BENCH_DIR/floor-files" "$MANIFESTS" "$MANIFEST_BYTES"; t2=$(now)
  inserts+=("$(awk "BEGIN {print $t1 - $t0}")"); files+=("$(awk "BEGIN {print $t2 - $t1}")")
  floor+=("$(awk "BEGIN {print $t2 - $t0}")")
  # With a baseline, which of the two goes first alternates from round to round.
  for who in $([ -n "${BASELINE_BIN:-}" ] && [ $((i % 2)) -eq 0 ] && echo "base this" || echo "this base"); do
    if [ "$who" = this ]; then
      read -r f n < <(time_sync "$BIN"); first+=("$f"); noop+=("$n")
      echo "run $i: floor ${floor[-1]} s, first sync $f s, no-op $n s" >&2
    elif [ -n "${BASELINE_BIN:-}" ]; then
      read -r f n < <(time_sync "$BASELINE_BIN"); base_first+=("$f"); base_noop+=("$n")
      echo "run $i: baseline first sync $f s, no-op $n s" >&2
    fi
  done
done
mf=$(printf '%s\n' "${floor[@]}" | median); m1=$(printf '%s\n' "${first[@]}" | median)
echo "floor median: $mf s (INSERTs $(printf '%s\n' "${inserts[@]}" | median) s, files $(printf '%s\n' "${files[@]}" | median) s)"
echo "first sync median: $m1 s  (ratio $(awk "BEGIN {printf \"%.2f\", $m1 / $mf}"))"
echo "no-op re-sync median: $(printf '%s\n' "${noop[@]}" | median) s"
if [ -n "${BASELINE_BIN:-}" ]; then
  echo "baseline first sync median: $(printf '%s\n' "${base_first[@]}" | median) s"
  echo "baseline no-op re-sync median: $(printf '%s\n' "${base_noop[@]}" | median) s"
fi
echo "jobs after sync: $(mariadb --socket="$SOCK" -uroot -N om_sync -e 'SELECT COUNT(*) FROM backup_jobs')"

BIG="$BENCH_DIR/sync-100k"
[ -f "$BIG/info.json" ] || python3 "$OM_ROOT/bench/gen_sync_data.py" "$BIG" 100000 0
fresh_db; rm -rf "$BENCH_DIR/sync-state"
/usr/bin/time -f "%M" -o "$BENCH_DIR/rss" "$BIN/om-backup-sync" --config /dev/null --db-socket "$SOCK" \
  --db-user root --db-name om_sync --borg-list-json "$BIG/list.json" --borg-info-json "$BIG/info.json" \
  --borg-tz UTC --log-dir "$BIG/logs" --state-dir "$BENCH_DIR/sync-state"
echo "peak RSS at 100,000 archives: $(cat "$BENCH_DIR/rss") KiB"
