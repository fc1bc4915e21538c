#!/usr/bin/env bash
# cron.d, completions and man pages: valid syntax, and what they offer.
set -euo pipefail
root="$1"; build="$2"
fail=0; bad() { echo "$*"; fail=1; }

# cron.d: environment lines, or 5 time fields + user + command; no secrets.
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  if [[ "$line" =~ ^[A-Z_]+= ]]; then continue; fi
  read -r m h dom mon dow user cmd <<<"$line"
  [ -n "${cmd:-}" ] || bad "cron.d line has too few fields: $line"
  [ "$user" = root ] || bad "cron.d line without a user field: $line"
  for f in "$m" "$h" "$dom" "$mon" "$dow"; do
    [[ "$f" =~ ^[0-9*/,-]+$ ]] || bad "cron.d time field '$f' is invalid: $line"
  done
done <"$root/cron.d/om-backup"
grep -qiE 'passphrase *=|BORG_PASSPHRASE=|password' "$root/cron.d/om-backup" && bad "cron.d holds a secret"
grep -q '^PATH=' "$root/cron.d/om-backup" || bad "cron.d does not set PATH"
# With its systemd timer enabled, a cron line does nothing (the two never both run a job).
for tool in run sync metrics check; do
  grep -q "systemctl -q is-enabled om-backup-$tool.timer 2>/dev/null || om-backup-" "$root/cron.d/om-backup" ||
    bad "cron.d's om-backup-$tool line is not guarded by its timer"
done

# Completions parse, and bash's offers each tool's options and subcommands.
bash -n "$root/completions/om-backup.bash" || bad "bash completion does not parse"
if command -v zsh >/dev/null; then zsh -n "$root/completions/_om-backup" || bad "zsh completion does not parse"; fi
if command -v fish >/dev/null; then fish -n "$root/completions/om-backup.fish" || bad "fish completion does not parse"; fi
offered() { # tool, partial word
  PATH="$build/tools:$PATH" OM_BACKUP_CONFIG=/dev/null bash -c '
    source "$0"; COMP_WORDS=("$1" "$2"); COMP_CWORD=1; _om_backup; printf "%s\n" "${COMPREPLY[@]}"' \
    "$root/completions/om-backup.bash" "$1" "$2"
}
offered om-backup-run --if | grep -qx -- --if-due || bad "bash completion does not offer --if-due"
offered om-backup-run --job | grep -qx -- --job-id || bad "bash completion does not offer --job-id"
offered om-backup-report me | grep -qx metrics || bad "bash completion does not offer the metrics subcommand"
offered om-backup-check --check-b | grep -qx -- --check-budget || bad "bash completion does not offer --check-budget"
offered om-backup-sync --borg-l | grep -qx -- --borg-list-json || bad "bash completion does not offer --borg-list-json"

# Man pages render without warnings and have the sections a sysadmin looks for.
for page in "$build"/man/*.1; do
  out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)"
  [ -z "$out" ] || bad "$page: $out"
  for section in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    grep -q "^\.SH \"*$section" "$page" || bad "$page lacks $section"
  done
done
[ "$(ls "$build"/man/*.1 | wc -l)" = 8 ] || bad "expected 8 man pages"
[ "$fail" = 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }
