#!/usr/bin/env bash
# Issue 15 benchmark: om-backup-run to one local target, against the same run with a second
# target behind a real sshd on 127.0.0.1 (append-only borg serve), on bench/run_borg.sh's tree
# (~20k files, ~1 GiB) plus the catalog database. Runs alternate; every run starts from freshly
# initialised repositories (initialisation is not timed). Prints medians, the ratio, the SSH
# target alone (the far end's borg serve runs on this same machine, so it competes for the
# same cores), the CPU seconds of each run (om-backup-run and its children: borg, ssh), and
# om-backup-run's peak RSS with two targets (from its log).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-5}"
om_install_packages time
bench_setup
TREE="$BENCH_DIR/tree"
make_tree "$TREE" 20000 1024
SSH_DIR="$BENCH_DIR/ssh"
rm -rf "$SSH_DIR"; mkdir -p "$SSH_DIR" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/host"
ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/client"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# OFFSITE_TMPFS=1: the SSH target's repository on a tmpfs, so the far end does not share this
# machine's disk with the local target (as a real backup server would not).
FAR="$BENCH_DIR/far"; mkdir -p "$FAR"
if [ "${OFFSITE_TMPFS:-0}" = 1 ]; then mount -t tmpfs -o size=6g,mode=0700 om-bench-far "$FAR"; fi
OFFSITE="$FAR/offsite-repo"
echo "command=\"borg serve --append-only --restrict-to-repository $OFFSITE\",restrict $(cat "$SSH_DIR/client.pub")" >"$SSH_DIR/authorized_keys"
echo "[127.0.0.1]:$PORT $(cat "$SSH_DIR/host.pub")" >"$SSH_DIR/known_hosts"
cat >"$SSH_DIR/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers $(id -un)
PermitRootLogin forced-commands-only
StrictModes no
UsePAM no
PasswordAuthentication no
CONF
/usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log"
trap 'kill "$(cat "$SSH_DIR/sshd.pid")" 2>/dev/null; mountpoint -q "$FAR" && umount "$FAR"; om_stop_mariadb "$BENCH_DIR/db"' EXIT
printf 'bench offsite\n' >"$SSH_DIR/offsite.pass"; chmod 600 "$SSH_DIR/offsite.pass"
URL="ssh://$(id -un)@127.0.0.1:$PORT$OFFSITE"
cat >"$SSH_DIR/om-backup.conf" <<CONF
[target.offsite]
repo = $URL
passphrase-file = $SSH_DIR/offsite.pass
ssh-key = $SSH_DIR/client
known-hosts = $SSH_DIR/known_hosts
prune = no
CONF
export BORG_PASSPHRASE=bench BORG_BASE_DIR="$BENCH_DIR/borg-home"
fresh_repos() {
  rm -rf "$BENCH_DIR/repo" "$OFFSITE" "$BENCH_DIR/borg-home" "$BENCH_DIR/logs"
  borg init -e repokey "$BENCH_DIR/repo" >/dev/null 2>&1
  BORG_PASSPHRASE='bench offsite' BORG_RSH="ssh -i $SSH_DIR/client -o UserKnownHostsFile=$SSH_DIR/known_hosts" \
    borg init -e repokey "$URL" >/dev/null 2>&1
}
RUN=("$BIN/om-backup-run" --db-socket "$SOCK" --db-user root --db-name om_bench
  --repo "$BENCH_DIR/repo" --prod-root "$TREE" --log-dir "$BENCH_DIR/logs"
  --state-dir "$BENCH_DIR/state" --include-uploads false --verify-after-backup false
  --archive-format 'om-bench-{now}')
# Wall seconds, then CPU seconds (user + system, children included) of one timed run.
timed() { /usr/bin/time -f '%e %U %S' -o "$BENCH_DIR/time" "${RUN[@]}" "$@"; awk '{print $1, $2 + $3}' "$BENCH_DIR/time"; }
one=(); two=(); far=(); cpu1=(); cpu2=(); rss=()
for i in $(seq 1 "$RUNS"); do
  fresh_repos; read -r w c < <(timed --config /dev/null); one+=("$w"); cpu1+=("$c")
  fresh_repos; read -r w c < <(timed --config "$SSH_DIR/om-backup.conf"); two+=("$w"); cpu2+=("$c")
  rss+=("$(grep -o 'peak RSS [0-9]*' "$BENCH_DIR"/logs/backup-*.log | awk '{print $3}')")
  fresh_repos; read -r w c < <(timed --config "$SSH_DIR/om-backup.conf" --target offsite); far+=("$w")
  echo "run $i: one target ${one[-1]} s (cpu ${cpu1[-1]}), two ${two[-1]} s (cpu ${cpu2[-1]}), offsite alone ${far[-1]} s, rss ${rss[-1]} KiB" >&2
done
m1=$(printf '%s\n' "${one[@]}" | median); m2=$(printf '%s\n' "${two[@]}" | median)
echo "one target median: $m1 s (cpu $(printf '%s\n' "${cpu1[@]}" | median) s)"
echo "two targets median: $m2 s (cpu $(printf '%s\n' "${cpu2[@]}" | median) s)  (ratio $(awk "BEGIN {printf \"%.3f\", $m2 / $m1}"))"
echo "the SSH target alone median: $(printf '%s\n' "${far[@]}" | median) s"
echo "om-backup-run peak RSS with two targets, median: $(printf '%s\n' "${rss[@]}" | median) KiB"
