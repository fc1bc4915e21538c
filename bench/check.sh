#!/usr/bin/env bash
# om-backup-check on a repository of about 1.2 GiB (bench/run_borg.sh's kind of tree, 20k files,
# then a second archive after 5 % of them changed): every level (archives, --verify-data,
# repository, with the vanished-archive comparison), no budget, against the bare borg commands
# it issues (borg list --json, check --archives-only, check --verify-data, check
# --repository-only) run one after another. Runs alternate. Also om-backup-check's own peak RSS
# (its log's "itself" line), without its borg children. Prints the medians and the ratio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1200
WORK="$BENCH_DIR/check"
export BORG_PASSPHRASE=bench OM_BACKUP_CONFIG=/dev/null BORG_BASE_DIR="$BENCH_DIR/check-borg-home"
if [ ! -f "$WORK/.complete" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK/logs" "$WORK/state"
  borg init -e repokey "$WORK/repo" >/dev/null 2>&1
  borg create "$WORK/repo::one" "$TREE" >/dev/null 2>&1
  cp -a "$TREE" "$WORK/tree2"
  find "$WORK/tree2" -name 'file*0.bin' >"$WORK/all.txt"
  head -1000 "$WORK/all.txt" | xargs -I{} sh -c 'head -c 30000 /dev/urandom > "{}"'
  borg create "$WORK/repo::two" "$WORK/tree2" >/dev/null 2>&1
  rm -rf "$WORK/tree2"
  touch "$WORK/.complete"
fi
echo "repository: $(du -sh "$WORK/repo" | cut -f1)" >&2

checked() {
  "$BIN/om-backup-check" --db-socket "$SOCK" --db-user root --db-name om_bench \
    --repo "$WORK/repo" --log-dir "$WORK/logs" --state-dir "$WORK/state" \
    --check-budget 0 --level archives --level data --level repository -v 2>"$WORK/check.err"
}
bare() {
  borg list --json "$WORK/repo" >/dev/null
  borg check --info --archives-only "$WORK/repo" 2>/dev/null
  borg check --info --progress --verify-data "$WORK/repo" 2>/dev/null
  borg check --info --progress --repository-only "$WORK/repo" 2>/dev/null
}
timed() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk "BEGIN {print $t1 - $t0}"; }

tool=(); plain=(); rss=()
for i in $(seq 1 "$RUNS"); do
  if ((i % 2)); then
    tool+=("$(timed checked)"); plain+=("$(timed bare)")
  else
    plain+=("$(timed bare)"); tool+=("$(timed checked)")
  fi
  rss+=("$(sed -n 's/.*om-backup-check itself: peak RSS \([0-9]*\) KiB.*/\1/p' "$WORK/check.err")")
  echo "run $i: om-backup-check ${tool[-1]} s (peak RSS ${rss[-1]} KiB), borg ${plain[-1]} s" >&2
done
mt=$(printf '%s\n' "${tool[@]}" | median); mb=$(printf '%s\n' "${plain[@]}" | median)
mr=$(printf '%s\n' "${rss[@]}" | median)
echo "om-backup-check $mt s, the bare borg commands $mb s, ratio $(awk "BEGIN {printf \"%.3f\", $mt / $mb}")"
echo "om-backup-check's own peak RSS: median $mr KiB"
echo "rows: $(mariadb --socket="$SOCK" -uroot -N om_bench -e "SELECT COUNT(*) FROM backup_checks WHERE status = 'success'")"
