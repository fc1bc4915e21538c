#!/usr/bin/env bash
# Issue 3 benchmark: om-backup-run --kind borg against the same borg create + prune + compact
# from a plain shell script, on a generated tree of ~20k files / ~1 GiB. Runs alternate; each
# run gets a freshly initialised repository (initialisation is not timed). Prints medians and
# om-backup-run's own peak RSS (from its log).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1024
export BORG_PASSPHRASE=bench BORG_BASE_DIR="$BENCH_DIR/borg-home" OM_BACKUP_CONFIG=/dev/null
KEEP=(--keep-hourly 48 --keep-daily 30 --keep-weekly 12 --keep-monthly 6)
fresh_repo() { rm -rf "$BENCH_DIR/repo" "$BENCH_DIR/borg-home"; borg init -e repokey "$BENCH_DIR/repo" >/dev/null 2>&1; }
ours=(); script=(); rss=()
for i in $(seq 1 "$RUNS"); do
  fresh_repo
  t0=$(now)
  borg create --compression zstd,3 --exclude-caches --exclude 'sh:**/node_modules' \
    "$BENCH_DIR/repo::om-bench-$(date +%Y-%m-%dT%H:%M:%S)" "$TREE" </dev/null
  borg prune --list --glob-archives 'om-bench-*' "${KEEP[@]}" "$BENCH_DIR/repo" </dev/null 2>/dev/null
  borg compact "$BENCH_DIR/repo" </dev/null
  t1=$(now); script+=("$(awk "BEGIN {print $t1 - $t0}")")

  fresh_repo
  rm -rf "$BENCH_DIR/logs"
  t0=$(now)
  "$BIN/om-backup-run" --db-socket "$SOCK" --db-user root --db-name om_bench \
    --repo "$BENCH_DIR/repo" --prod-root "$TREE" --log-dir "$BENCH_DIR/logs" \
    --state-dir "$BENCH_DIR/state" --include-database false --include-uploads false \
    --verify-after-backup false --archive-format 'om-bench-{now}' "${KEEP[@]}"
  t1=$(now); ours+=("$(awk "BEGIN {print $t1 - $t0}")")
  rss+=("$(grep -o 'peak RSS [0-9]*' "$BENCH_DIR"/logs/backup-*.log | awk '{print $3}')")
  echo "run $i: script ${script[-1]} s, om-backup-run ${ours[-1]} s, rss ${rss[-1]} KiB" >&2
done
ms=$(printf '%s\n' "${script[@]}" | median); mo=$(printf '%s\n' "${ours[@]}" | median)
echo "shell script median: $ms s"
echo "om-backup-run median: $mo s  (ratio $(awk "BEGIN {printf \"%.3f\", $mo / $ms}"))"
echo "om-backup-run peak RSS median: $(printf '%s\n' "${rss[@]}" | median) KiB"
