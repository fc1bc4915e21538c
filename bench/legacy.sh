#!/usr/bin/env bash
# Issue 4 benchmark: om-backup-run --kind files against `tar -czf && sha256sum` on the ~1 GiB
# generated tree, and --kind db against `mysqldump | gzip > f && sha256sum f` on a generated
# ~500 MB database. Runs alternate; medians; peak RSS of om-backup-run itself from its log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}"
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1024
if [ "$(mariadb --socket="$SOCK" -uroot -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='om_bench' AND table_name='big'")" = 0 ]; then
  mariadb --socket="$SOCK" -uroot om_bench -e "CREATE TABLE big (id INT PRIMARY KEY, note VARCHAR(255),
    blob_part VARBINARY(128)) SELECT seq AS id, CONCAT('parish record ', seq, ' ', REPEAT('baptism ', 20)) AS note,
    RANDOM_BYTES(96) AS blob_part FROM seq_1_to_2000000"
fi
echo "database size: $(mariadb --socket="$SOCK" -uroot -N -e "SELECT ROUND(SUM(data_length)/1048576) FROM information_schema.tables WHERE table_schema='om_bench'") MiB" >&2
OUT="$BENCH_DIR/legacy-out"
COMMON=(--config /dev/null --db-socket "$SOCK" --db-user root --db-name om_bench --prod-root "$TREE"
        --include-uploads false --log-dir "$BENCH_DIR/logs" --state-dir "$BENCH_DIR/state"
        --backup-root "$OUT" --verify-after-backup false)
cat >"$BENCH_DIR/client.cnf" <<CNF
[client]
socket=$SOCK
user=root
CNF
t() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); awk "BEGIN {print $t1 - $t0}"; }
rss() { grep -o 'peak RSS [0-9]*' "$BENCH_DIR"/logs/backup-*.log | awk '{print $3}'; }
sf=(); of=(); sd=(); od=(); rf=(); rd=()
ONLY="${ONLY:-files db}" # ONLY=db measures the database half alone
for i in $(seq 1 "$RUNS"); do
  if [[ " $ONLY " == *" files "* ]]; then
  rm -rf "$OUT" "$BENCH_DIR/logs"; mkdir -p "$OUT"
  sf+=("$(t bash -c "tar -czf '$OUT/f.tar.gz' -C '$(dirname "$TREE")' '$(basename "$TREE")' && sha256sum '$OUT/f.tar.gz'")")
  rm -rf "$OUT" "$BENCH_DIR/logs"
  of+=("$(t "$BIN/om-backup-run" "${COMMON[@]}" --kind files)"); rf+=("$(rss)")
  else sf+=(0); of+=(1); rf+=(0); fi
  rm -rf "$OUT" "$BENCH_DIR/logs"; mkdir -p "$OUT"
  sd+=("$(t bash -c "mysqldump --defaults-file='$BENCH_DIR/client.cnf' --single-transaction --quick --routines --triggers --events --hex-blob om_bench | gzip > '$OUT/d.sql.gz' && sha256sum '$OUT/d.sql.gz'")")
  rm -rf "$OUT" "$BENCH_DIR/logs"
  od+=("$(t "$BIN/om-backup-run" "${COMMON[@]}" --kind db)"); rd+=("$(rss)")
  echo "run $i: files shell ${sf[-1]} s, ours ${of[-1]} s (rss ${rf[-1]} KiB); db shell ${sd[-1]} s, ours ${od[-1]} s (rss ${rd[-1]} KiB)" >&2
done
m() { printf '%s\n' "$@" | median; }
echo "files: shell $(m "${sf[@]}") s, om-backup-run $(m "${of[@]}") s, speed-up $(awk "BEGIN {printf \"%.2f\", $(m "${sf[@]}") / $(m "${of[@]}")}")x, peak RSS $(m "${rf[@]}") KiB"
echo "db:    shell $(m "${sd[@]}") s, om-backup-run $(m "${od[@]}") s, speed-up $(awk "BEGIN {printf \"%.2f\", $(m "${sd[@]}") / $(m "${od[@]}")}")x, peak RSS $(m "${rd[@]}") KiB"
