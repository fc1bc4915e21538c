# Shared by the benchmarks: a private MariaDB and a generated application tree.
# shellcheck shell=bash
OM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/common.sh
. "$OM_ROOT/scripts/lib/common.sh"
BENCH_DIR="${BENCH_DIR:-/var/tmp/om-bench}"
BIN="$OM_ROOT/build/bench/tools"

bench_setup() {
  om_install_packages
  om_build "$OM_ROOT/build/bench" -DCMAKE_BUILD_TYPE=Release -DOM_BUILD_TESTS=OFF >/dev/null
  mkdir -p "$BENCH_DIR"
  om_start_mariadb "$BENCH_DIR/db"
  trap 'om_stop_mariadb "$BENCH_DIR/db"' EXIT
  SOCK="$OM_DB_SOCKET_PATH"
  mariadb --socket="$SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS om_bench"
  "$BIN/om-backup-migrate" --config /dev/null --db-socket "$SOCK" --db-user root --db-name om_bench
}

# A tree of about $1 files and $2 MiB: half compressible text, half random bytes.
make_tree() {
  local dir="$1" files="$2" mib="$3"
  [ -f "$dir/.complete-$files-$mib" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir"
  python3 - "$dir" "$files" "$mib" <<'PY'
import os, random, sys
root, files, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = mib * 1024 * 1024 // files
rnd = random.Random(42)
words = [b"parish", b"baptism", b"record", b"marriage", b"liturgy", b"clergy", b"deanery"]
for i in range(files):
    d = os.path.join(root, "dir%03d" % (i % 200), "sub%02d" % (i % 17))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file%05d.%s" % (i, "txt" if i % 2 else "bin")), "wb") as f:
        if i % 2:
            f.write(b" ".join(rnd.choice(words) for _ in range(size // 7))[:size])
        else:
            f.write(os.urandom(size))
PY
  touch "$dir/.complete-$files-$mib"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
