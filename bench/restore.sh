#!/usr/bin/env bash
# A restore the UI can follow: om-backup-restore files of an archive of bench/run_borg.sh's tree
# (~20k files, ~1 GiB), recorded in backup_restores with its progress row (the catalog reachable;
# borg extract runs with --progress, which first sums the archive's sizes) against the same
# restore unrecorded (the catalog unreachable, as when the server is lost: no row, no
# --progress), and against bare `borg extract` of the same archive. Runs alternate; each restore
# goes into an emptied folder with the disk flushed first (not timed).
# Prints the medians and the ratios.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-7}"
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1024
WORK="$BENCH_DIR/restore"
export BORG_PASSPHRASE=bench OM_BACKUP_CONFIG=/dev/null BORG_BASE_DIR="$BENCH_DIR/restore-borg-home"
rm -rf "$WORK"; mkdir -p "$WORK/logs" "$WORK/state"
borg init -e repokey "$WORK/repo" >/dev/null 2>&1
borg create "$WORK/repo::bench" "$TREE" >/dev/null 2>&1
ARCHIVE="$WORK/repo::bench"
# The tree is stored as its path without the leading '/'.
DEPTH=$(($(tr -cd / <<<"$TREE" | wc -c) - 1))

restore() { # socket
  "$BIN/om-backup-restore" --db-socket "$1" --db-user root --db-name om_bench \
    --repo "$WORK/repo" --prod-root "$TREE" --log-dir "$WORK/logs" --state-dir "$WORK/state" \
    files --from "$ARCHIVE" --to "$WORK/out" 2>/dev/null
}
recorded() { restore "$SOCK"; }
unrecorded() { restore "$WORK/no-catalog.sock"; }
bare() { mkdir -p "$WORK/out" && (cd "$WORK/out" && borg extract --strip-components "$DEPTH" \
  "$ARCHIVE" "${TREE#/}"); }
timed() { local t0 t1; rm -rf "$WORK/out"; sync; t0=$(now); "$@"; t1=$(now)
  awk "BEGIN {print $t1 - $t0}"; }

rec=(); unrec=(); plain=()
for i in $(seq 1 "$RUNS"); do
  case $((i % 3)) in
    0) rec+=("$(timed recorded)"); unrec+=("$(timed unrecorded)"); plain+=("$(timed bare)") ;;
    1) unrec+=("$(timed unrecorded)"); plain+=("$(timed bare)"); rec+=("$(timed recorded)") ;;
    2) plain+=("$(timed bare)"); rec+=("$(timed recorded)"); unrec+=("$(timed unrecorded)") ;;
  esac
  echo "run $i: recorded ${rec[-1]} s, unrecorded ${unrec[-1]} s, borg extract ${plain[-1]} s" >&2
done
[ "$(find "$WORK/out" -type f | wc -l)" -ge 20000 ] || { echo "the restore is incomplete" >&2; exit 1; }
mr=$(printf '%s\n' "${rec[@]}" | median); mu=$(printf '%s\n' "${unrec[@]}" | median)
mb=$(printf '%s\n' "${plain[@]}" | median)
echo "restore files: recorded $mr s, unrecorded $mu s, borg extract $mb s"
echo "ratios: recorded/unrecorded $(awk "BEGIN {printf \"%.3f\", $mr / $mu}"), recorded/borg $(awk "BEGIN {printf \"%.3f\", $mr / $mb}")"
echo "rows: $(mariadb --socket="$SOCK" -uroot -N om_bench -e "SELECT COUNT(*) FROM backup_restores WHERE status = 'success' AND percent = 100")"
