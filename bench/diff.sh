#!/usr/bin/env bash
# Issue 17 benchmark: `om-backup-report diff A B` against the bare `borg diff --json-lines`
# it runs, on two archives of bench/run_borg.sh's tree (~20k files, ~1 GiB) between which 1 %
# of the files changed (200 grown, 100 added, 100 removed). Runs alternate; output goes to
# /dev/null. Prints medians and ratios for --json (streamed) and the table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-7}"
bench_setup
make_tree "$BENCH_DIR/tree" 20000 1024
WORK="$BENCH_DIR/diff"
export BORG_PASSPHRASE=bench BORG_BASE_DIR="$WORK/borg-home" OM_BACKUP_CONFIG=/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
TREE="$WORK/tree"; cp -a "$BENCH_DIR/tree" "$TREE"
REPO="$WORK/repo"
borg init -e repokey "$REPO" >/dev/null 2>&1
borg create --compression zstd,3 "$REPO::before" "$TREE"
python3 - "$TREE" <<'PY'
import os, random, sys
root = sys.argv[1]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
rnd = random.Random(17)
chosen = rnd.sample(files, 300)
for path in chosen[:200]:
    with open(path, "ab") as f:
        f.write(os.urandom(4096))
for path in chosen[200:]:
    os.remove(path)
for k in range(100):
    with open(os.path.join(root, "dir%03d" % k, "added-%d.bin" % k), "wb") as f:
        f.write(os.urandom(65536))
PY
borg create --compression zstd,3 "$REPO::after" "$TREE"
REPORT=("$BIN/om-backup-report" --db-socket "$SOCK" --db-user root --db-name om_bench
        --repo "$REPO" diff before after)
echo "changes listed: $("${REPORT[@]}" --json | wc -l) (borg diff lines: $(borg diff --json-lines "$REPO::before" after | wc -l))"
timed() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk "BEGIN {print $t1 - $t0}"; }
bare=(); json=(); table=()
for i in $(seq 1 "$RUNS"); do
  bare+=("$(timed borg diff --json-lines "$REPO::before" after)")
  json+=("$(timed "${REPORT[@]}" --json)")
  table+=("$(timed "${REPORT[@]}")")
  echo "run $i: borg diff ${bare[-1]} s, report diff --json ${json[-1]} s, table ${table[-1]} s" >&2
done
mb=$(printf '%s\n' "${bare[@]}" | median); mj=$(printf '%s\n' "${json[@]}" | median)
mt=$(printf '%s\n' "${table[@]}" | median)
echo "borg diff --json-lines median: $mb s"
echo "om-backup-report diff --json median: $mj s (ratio $(awk "BEGIN {printf \"%.3f\", $mj / $mb}"))"
echo "om-backup-report diff (table) median: $mt s (ratio $(awk "BEGIN {printf \"%.3f\", $mt / $mb}"))"
