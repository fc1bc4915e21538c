#!/usr/bin/env bash
# om-backup-check --level repository with a time budget, run after run until the cycle is
# complete, on a repository of about 1 GiB read from a disk slowed to 50 MB/s (a cgroup v1
# blkio limit on the disk that holds it, the page cache dropped first): each run's wall time
# against its budget (issue #31: no run over it by more than 10 %), and how many runs a cycle
# took. BUDGET (seconds, default 8) and RUNS (cycles, default 3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
BUDGET="${BUDGET:-8}"; CYCLES="${RUNS:-3}"
bench_setup
WORK="$BENCH_DIR/check-budget"
export BORG_PASSPHRASE=bench OM_BACKUP_CONFIG=/dev/null BORG_BASE_DIR="$WORK/borg-home"
if [ ! -f "$WORK/.complete" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK/state"
  borg init -e repokey "$WORK/repo" >/dev/null 2>&1
  borg config "$WORK/repo" max_segment_size 33554432
  head -c 1073741824 /dev/urandom >"$WORK/big.bin"
  borg create --compression none "$WORK/repo::big" "$WORK/big.bin" >/dev/null 2>&1
  rm -f "$WORK/big.bin"
  touch "$WORK/.complete"
fi
dev=$(stat -c '%d' "$WORK/repo"); dev="$((dev >> 8)):$((dev & 255))"
if [ -e "/sys/dev/block/$dev/partition" ]; then dev=$(cat "$(readlink -f "/sys/dev/block/$dev")/../dev"); fi
cg=/sys/fs/cgroup/blkio/om-bench-$$
mkdir "$cg"; echo "$dev 52428800" >"$cg/blkio.throttle.read_bps_device"
trap 'rmdir "$cg"; om_stop_mariadb "$BENCH_DIR/db"' EXIT
drop() { sync; python3 -c 'import os,sys
for r,_,fs in os.walk(sys.argv[1]):
  for f in fs:
    fd=os.open(os.path.join(r,f),os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)' "$WORK/repo"; }
checked() {
  sh -c 'echo $$ >"$0/cgroup.procs"; exec "$@"' "$cg" "$BIN/om-backup-check" \
    --db-socket "$SOCK" --db-user root --db-name om_bench --repo "$WORK/repo" \
    --state-dir "$WORK/state" --level repository --check-budget "${BUDGET}s" >/dev/null
}
worst=0; all=()
for cycle in $(seq 1 "$CYCLES"); do
  drop; runs=0
  while :; do
    t0=$(now); checked; t1=$(now); runs=$((runs + 1))
    t=$(awk "BEGIN {print $t1 - $t0}"); all+=("$t")
    worst=$(awk "BEGIN {print ($t > $worst) ? $t : $worst}")
    done=$(mariadb --socket="$SOCK" -uroot -N om_bench -e \
      "SELECT cycle_complete FROM backup_checks ORDER BY id DESC LIMIT 1")
    echo "cycle $cycle run $runs: $t s (budget $BUDGET s)" >&2
    [ "$done" = 1 ] && break
  done
  echo "cycle $cycle: $runs runs" >&2
done
echo "budget ${BUDGET} s: median run $(printf '%s\n' "${all[@]}" | median) s, longest $worst s, $(awk "BEGIN {printf \"%.3f\", $worst / $BUDGET}") of the budget"
