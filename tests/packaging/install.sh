#!/usr/bin/env bash
# `cmake --install` into a DESTDIR puts every file where a Debian system expects it.
set -euo pipefail
build="$1"
dest="$(mktemp -d)"; trap 'rm -rf "$dest"' EXIT
DESTDIR="$dest" cmake --install "$build" --prefix /usr >/dev/null
expected=(
  usr/bin/om-backup-migrate usr/bin/om-backup-run usr/bin/om-backup-sync usr/bin/om-backup-report
  usr/share/man/man1/om-backup-run.1.gz usr/share/man/man1/om-backup-sync.1.gz
  usr/share/man/man1/om-backup-report.1.gz usr/share/man/man1/om-backup-migrate.1.gz
  usr/share/man/man1/om-backup-prune.1.gz usr/bin/om-backup-prune
  usr/share/man/man1/om-backup-restore.1.gz usr/bin/om-backup-restore
  usr/share/man/man1/om-backup-copy.1.gz usr/bin/om-backup-copy
  usr/share/man/man1/om-backup-check.1.gz usr/bin/om-backup-check usr/share/bash-completion/completions/om-backup-check
  usr/lib/systemd/system/om-backup-check.service usr/lib/systemd/system/om-backup-check.timer
  usr/lib/systemd/system/om-backup-run.service usr/lib/systemd/system/om-backup-run.timer
  usr/lib/systemd/system/om-backup-sync.service usr/lib/systemd/system/om-backup-sync.timer
  usr/lib/systemd/system/om-backup-metrics.service usr/lib/systemd/system/om-backup-metrics.timer
  usr/share/bash-completion/completions/om-backup-run usr/share/bash-completion/completions/om-backup-sync
  usr/share/zsh/vendor-completions/_om-backup usr/share/fish/vendor_completions.d/om-backup.fish
  etc/cron.d/om-backup etc/om-backup/om-backup.conf usr/share/doc/om-backup/sql/001_seed_tables.up.sql usr/share/doc/om-backup/docs/configuration.md
)
fail=0
for f in "${expected[@]}"; do
  [ -e "$dest/$f" ] || { echo "missing: /$f"; fail=1; }
done
[ "$(stat -c %a "$dest/etc/om-backup/om-backup.conf")" = 600 ] || { echo "om-backup.conf is not 0600"; fail=1; }
# The systemd units verify (with the installed tools at their ExecStart paths), and no unit
# is enabled by installing.
units="$dest/units"; mkdir -p "$units"
for u in "$dest"/usr/lib/systemd/system/om-backup-*; do
  sed "s#/usr/bin/om-backup-#$dest/usr/bin/om-backup-#g" "$u" >"$units/$(basename "$u")"
done
out="$(systemd-analyze verify --man=no "$units"/*.timer "$units"/*.service 2>&1)"
[ -z "$out" ] || { echo "systemd-analyze verify: $out"; fail=1; }
[ ! -e "$dest/etc/systemd" ] || { echo "installing enabled a unit: $(find "$dest/etc/systemd")"; fail=1; }
for u in "$units"/*.service; do
  for key in Nice=19 IOSchedulingClass=idle PrivateTmp=yes NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths=; do
    grep -q "^$key" "$u" || { echo "$(basename "$u") lacks $key"; fail=1; }
  done
done
grep -q -- '--if-due' "$units/om-backup-run.service" || { echo "om-backup-run.service does not run --if-due"; fail=1; }
grep -q 'systemd-inhibit --what=sleep' "$units/om-backup-run.service" || { echo "a backup does not keep the machine awake"; fail=1; }
# Every installed tool runs.
for t in "$dest"/usr/bin/om-backup-*; do
  OM_BACKUP_CONFIG=/dev/null "$t" --version >/dev/null || { echo "$t --version failed"; fail=1; }
done
[ "$fail" = 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }
