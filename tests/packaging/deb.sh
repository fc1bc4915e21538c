#!/usr/bin/env bash
# CPack's .deb installs with dpkg -i, puts the tools on PATH, and removes cleanly with dpkg -r.
set -euo pipefail
build="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work" >/dev/null)
deb="$(ls "$work"/*.deb)"
dpkg-deb --field "$deb" Depends | grep -q borgbackup || { echo "Depends lacks borgbackup"; exit 1; }
dpkg-deb --field "$deb" Depends | grep -q mariadb-client || { echo "Depends lacks mariadb-client"; exit 1; }
dpkg-deb --field "$deb" Depends | grep -q libmariadb || { echo "Depends lacks the runtime libraries"; exit 1; }
# The binaries are stripped; their debug symbols are in the dbgsym package beside it.
symbols="$(dpkg-deb --contents "$(ls "$work"/om-backup-dbgsym_*.ddeb)")"
grep -q '/usr/lib/debug/.build-id/.*\.debug$' <<<"$symbols" ||
  { echo "no debug symbols in the dbgsym package"; exit 1; }
# Debian's own checker: nothing but what waits on a decision of the project's owners (a
# maintainer address, and the license for debian/copyright and the changelog's trailer).
pending='root-in-contact|bogus-mail-host|no-copyright-file|no-changelog'
found="$(lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep -E '^[EW]: ' | grep -vE "$pending" || true)"
[ -z "$found" ] || { echo "lintian: $found"; exit 1; }
dpkg -i "$deb" >/dev/null
version="$(env -i PATH=/usr/bin:/bin OM_BACKUP_CONFIG=/dev/null om-backup-run --version)"
conffiles="$(dpkg-query --control-show om-backup conffiles 2>/dev/null || cat /var/lib/dpkg/info/om-backup.conffiles)"
dpkg -r om-backup >/dev/null
[[ "$version" == "om-backup-run "* ]] || { echo "om-backup-run --version from PATH said: $version"; exit 1; }
echo "$conffiles" | grep -q /etc/cron.d/om-backup || { echo "cron.d file is not a conffile"; exit 1; }
if [ -e /usr/bin/om-backup-run ]; then echo "dpkg -r left /usr/bin/om-backup-run"; exit 1; fi
echo "1 passed, 0 failed"
