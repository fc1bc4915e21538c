#!/usr/bin/env bash
# Issue 16 benchmark: om-backup-copy of a 1 GiB borg repository to an sftp destination (a real
# sshd with internal-sftp on 127.0.0.1, so its far end shares this machine's cores and disk),
# against a bare `rclone sync` of the same repository to the same server. Runs alternate; every
# run starts from an empty destination. Then a small incremental backup and its copy: the bytes
# the copy uploaded against the size of the new segments.
#   RUNS=5 bench/copy.sh
#   BWLIMIT=125M RUNS=5 bench/copy.sh     both at most 125 MiB/s (a 1 Gbit/s uplink), as a real
#                                         remote is: rclone reads RCLONE_BWLIMIT either way
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
om_install_packages time rclone
bench_setup
W="$BENCH_DIR/copy"
rm -rf "$W"; mkdir -p "$W/tree" "$W/sftp" /run/sshd
export BORG_PASSPHRASE=bench BORG_BASE_DIR="$W/borg-home"
REPO="$W/repo"
# 1 GiB of incompressible data in 16 files, stored uncompressed: a 1 GiB repository.
for i in $(seq -w 1 16); do head -c 64M /dev/urandom >"$W/tree/part$i.bin"; done
borg init -e repokey "$REPO" >/dev/null 2>&1
borg create -C none "$REPO::base" "$W/tree"

ssh-keygen -q -t ed25519 -N '' -f "$W/host"
ssh-keygen -q -t ed25519 -N '' -f "$W/client"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "restrict $(cat "$W/client.pub")" >"$W/authorized_keys"
echo "[127.0.0.1]:$PORT $(cat "$W/host.pub")" >"$W/known_hosts"
cat >"$W/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $W/host
PidFile $W/sshd.pid
AuthorizedKeysFile $W/authorized_keys
AllowUsers $(id -un)
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PasswordAuthentication no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
CONF
/usr/sbin/sshd -f "$W/sshd_config" -E "$W/sshd.log"
trap 'kill "$(cat "$W/sshd.pid")" 2>/dev/null; om_stop_mariadb "$BENCH_DIR/db"' EXIT
cat >"$W/rclone.conf" <<CONF
[sftp]
type = sftp
host = 127.0.0.1
port = $PORT
user = $(id -un)
key_file = $W/client
known_hosts_file = $W/known_hosts
shell_type = none
md5sum_command = none
sha1sum_command = none
CONF
[ -z "${BWLIMIT:-}" ] || export RCLONE_BWLIMIT="$BWLIMIT"
COPY=("$BIN/om-backup-copy" --config /dev/null --db-socket "$SOCK" --db-user root --db-name om_bench
  --repo "$REPO" --log-dir "$W/logs" --state-dir "$W/state" --rclone-config "$W/rclone.conf")
echo "repository: $(du -sb "$REPO" | cut -f1) bytes in $(find "$REPO" -type f | wc -l) files" >&2
wall() { /usr/bin/time -f '%e' -o "$W/time" "$@" >/dev/null; cat "$W/time"; }
bare=(); ours=(); nocheck=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$W/sftp/bare"; bare+=("$(wall rclone --config "$W/rclone.conf" sync "$REPO" "sftp:$W/sftp/bare")")
  rm -rf "$W/sftp/ours"; ours+=("$(wall "${COPY[@]}" --copy-to "sftp:$W/sftp/ours")")
  rm -rf "$W/sftp/ours" "$W/sftp/ours-replaced"
  nocheck+=("$(wall "${COPY[@]}" --no-check --copy-to "sftp:$W/sftp/ours")")
  echo "run $i: rclone sync ${bare[-1]} s, om-backup-copy ${ours[-1]} s, with --no-check ${nocheck[-1]} s" >&2
done
mb=$(printf '%s\n' "${bare[@]}" | median); mo=$(printf '%s\n' "${ours[@]}" | median)
mn=$(printf '%s\n' "${nocheck[@]}" | median)
echo "bare rclone sync median: $mb s"
echo "om-backup-copy median: $mo s (ratio $(awk "BEGIN {printf \"%.3f\", $mo / $mb}"))"
echo "om-backup-copy --no-check median: $mn s (ratio $(awk "BEGIN {printf \"%.3f\", $mn / $mb}"))"
echo "borg check --repository-only alone: $(wall borg check --repository-only "$REPO") s"

# Incremental: 8 MiB more, a backup, a copy. Uploaded bytes (the manifest's) against the new
# segments (files of data/ that were not there before the backup).
find "$REPO/data" -type f | sort >"$W/before"
head -c 8M /dev/urandom >"$W/tree/new.bin"
borg create -C none "$REPO::incremental" "$W/tree"
new=$(find "$REPO/data" -type f | sort | comm -13 "$W/before" - | xargs stat -c %s | awk '{s+=$1} END {print s}')
"${COPY[@]}" --json --copy-to "sftp:$W/sftp/ours" >"$W/incremental.json"
manifest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["artifacts"][0]["manifest_path"])' "$W/incremental.json")
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes_transferred"])' "$manifest")
index=$(cat "$REPO"/index.* "$REPO"/hints.* "$REPO"/integrity.* | wc -c)
echo "incremental: new segments $new bytes, uploaded $sent bytes (ratio $(awk "BEGIN {printf \"%.3f\", $sent / $new}")); the index, hints and integrity files: $index bytes"
