#!/usr/bin/env bash
# Issue 17 benchmark: om-backup-run on bench/run_borg.sh's tree (~20k files, ~1 GiB) with the
# progress row and change recording on (the default) against the same run with both off
# (--record-progress false --record-changes false). Two cases, runs alternating:
#   first:   every run from a freshly initialised repository (as run_borg.sh);
#   nightly: each side keeps its own repository and state folder (so its own file index and
#            history), and before each pair of runs 20 files change, 20 are added and 20
#            removed: the backup an admin runs every night.
# Prints medians and ratios, and the basis the "on" side recorded its changes with.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-7}"
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1024
WORK="$BENCH_DIR/progress"
export BORG_PASSPHRASE=bench OM_BACKUP_CONFIG=/dev/null
OFF=(--record-progress false --record-changes false)

run() { # side repo state extra...
  local side="$1" repo="$2" state="$3"; shift 3
  BORG_BASE_DIR="$WORK/borg-home-$side" "$BIN/om-backup-run" --db-socket "$SOCK" \
    --db-user root --db-name om_bench --repo "$repo" --prod-root "$TREE" \
    --log-dir "$WORK/logs" --state-dir "$state" --include-database false \
    --include-uploads false --verify-after-backup false --archive-format "om-bench-{now}" \
    --keep-hourly 48 --keep-daily 30 --keep-weekly 12 --keep-monthly 6 "$@"
}
# Each timed run starts with the disk quiet: the previous run's writes flushed (not timed).
timed() { local t0 t1; sync; t0=$(now); "$@"; t1=$(now); awk "BEGIN {print $t1 - $t0}"; }
fresh() { rm -rf "$WORK/$1" "$WORK/state-$1"; mkdir -p "$WORK/state-$1"
  BORG_BASE_DIR="$WORK/borg-home-${1%%-*}" borg init -e repokey "$WORK/$1" >/dev/null 2>&1; }
rm -rf "$WORK"; mkdir -p "$WORK/logs"

# Repository paths never used before: the catalog (which keeps every bench's history) must know
# no previous archive of them, or a "first" backup would be compared with a vanished one.
STAMP=$(date +%s)
if [ "${ONLY:-}" != nightly ]; then
  on=(); off=()
  for i in $(seq 1 "$RUNS"); do
    # A new repository path each time: the catalog's previous archive is of another repository.
    # The side that goes first alternates.
    on_repo="on-$STAMP-$i" off_repo="off-$STAMP-$i"
    fresh "$on_repo"; fresh "$off_repo"
    if [ $((i % 2)) = 1 ]; then
      on+=("$(timed run on "$WORK/$on_repo" "$WORK/state-$on_repo")")
      off+=("$(timed run off "$WORK/$off_repo" "$WORK/state-$off_repo" "${OFF[@]}")")
    else
      off+=("$(timed run off "$WORK/$off_repo" "$WORK/state-$off_repo" "${OFF[@]}")")
      on+=("$(timed run on "$WORK/$on_repo" "$WORK/state-$on_repo")")
    fi
    rm -rf "$WORK/$on_repo" "$WORK/$off_repo"
    echo "first $i: on ${on[-1]} s, off ${off[-1]} s" >&2
  done
  mon=$(printf '%s\n' "${on[@]}" | median); moff=$(printf '%s\n' "${off[@]}" | median)
  echo "first backup: on $mon s, off $moff s (ratio $(awk "BEGIN {printf \"%.3f\", $mon / $moff}"))"
fi

if [ "${ONLY:-}" != first ]; then
  fresh "on-$STAMP"; fresh "off-$STAMP"
  # A copy of the tree to change, so the shared tree stays as make_tree left it.
  NIGHT="$WORK/tree"; cp -a "$TREE" "$NIGHT"; TREE="$NIGHT"
  run on "$WORK/on-$STAMP" "$WORK/state-on-$STAMP"
  run off "$WORK/off-$STAMP" "$WORK/state-off-$STAMP" "${OFF[@]}"
  on=(); off=()
  for i in $(seq 1 "$RUNS"); do
    python3 - "$TREE" "$i" <<'PY'
import os, random, sys
root, night = sys.argv[1], int(sys.argv[2])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
rnd = random.Random(night)
for path in rnd.sample(files, 40)[:20]:
    with open(path, "ab") as f:
        f.write(os.urandom(4096))
for path in rnd.sample(files, 40)[20:]:
    os.remove(path)
for k in range(20):
    with open(os.path.join(root, "dir%03d" % k, "night-%d-%d.bin" % (night, k)), "wb") as f:
        f.write(os.urandom(65536))
PY
    if [ $((i % 2)) = 1 ]; then
      on+=("$(timed run on "$WORK/on-$STAMP" "$WORK/state-on-$STAMP")")
      off+=("$(timed run off "$WORK/off-$STAMP" "$WORK/state-off-$STAMP" "${OFF[@]}")")
    else
      off+=("$(timed run off "$WORK/off-$STAMP" "$WORK/state-off-$STAMP" "${OFF[@]}")")
      on+=("$(timed run on "$WORK/on-$STAMP" "$WORK/state-on-$STAMP")")
    fi
    echo "nightly $i: on ${on[-1]} s, off ${off[-1]} s" >&2
  done
  mon=$(printf '%s\n' "${on[@]}" | median); moff=$(printf '%s\n' "${off[@]}" | median)
  echo "nightly backup: on $mon s, off $moff s (ratio $(awk "BEGIN {printf \"%.3f\", $mon / $moff}"))"
  mariadb --socket="$SOCK" -uroot om_bench -N -e "SELECT basis, COUNT(*), MIN(added_files), \
    MAX(added_files), MIN(modified_files), MIN(removed_files) FROM backup_job_changes \
    GROUP BY basis" | sed 's/^/changes recorded (basis, jobs, added min-max, modified, removed): /'
fi
