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
# Debian's own checker: no error, and no warning without a reasoned override
# (cmake/lintian-overrides).
found="$(lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep -E '^[EW]: ' || true)"
[ -z "$found" ] || { echo "lintian: $found"; exit 1; }
# The owners' decisions: the maintainer, the MIT license in a DEP-5 copyright file, and the
# Debian changelog made from CHANGELOG.md's releases.
maintainer="$(dpkg-deb --field "$deb" Maintainer)"
[ "$maintainer" = "OrthodoxMetrics backup maintainers <backups@orthodoxmetrics.com>" ] ||
  { echo "Maintainer is: $maintainer"; exit 1; }
contents="$(dpkg-deb --contents "$deb")"
for doc in copyright changelog.gz; do
  grep -q "/usr/share/doc/om-backup/$doc\$" <<<"$contents" || { echo "no $doc in the .deb"; exit 1; }
done
# Read whole (no grep -q in a pipe: under pipefail its early exit would fail the writer).
copyright="$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/om-backup/copyright)"
grep -q '^License: MIT$' <<<"$copyright" || { echo "copyright does not say License: MIT"; exit 1; }
release="$(sed -nE 's/^## \[([0-9.]+)\].*/\1/p' "$(dirname "$0")/../../CHANGELOG.md" | head -n 1)"
debian_changelog="$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/om-backup/changelog.gz | gzip -dc)"
[[ "$debian_changelog" == "om-backup ($release) unstable; urgency=medium"* ]] ||
  { echo "the Debian changelog does not start with $release"; exit 1; }
dpkg -i "$deb" >/dev/null
version="$(env -i PATH=/usr/bin:/bin OM_BACKUP_CONFIG=/dev/null om-backup-run --version)"
conffiles="$(dpkg-query --control-show om-backup conffiles 2>/dev/null || cat /var/lib/dpkg/info/om-backup.conffiles)"
dpkg -r om-backup >/dev/null
[ "$version" = "om-backup-run $release" ] || { echo "om-backup-run --version from PATH said: $version"; exit 1; }
echo "$conffiles" | grep -q /etc/cron.d/om-backup || { echo "cron.d file is not a conffile"; exit 1; }
if [ -e /usr/bin/om-backup-run ]; then echo "dpkg -r left /usr/bin/om-backup-run"; exit 1; fi
echo "1 passed, 0 failed"
