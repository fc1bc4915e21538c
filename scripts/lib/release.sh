# The suite on another Debian release: a root made with mmdebstrap from the archive this machine
# already uses, cached outside the checkout, the checkout bound into it, and scripts/test run
# inside (build with -Werror, its own MariaDB, the whole ctest suite). Sourced by scripts/test.
# shellcheck shell=bash

# Where roots are kept: one folder per release, reused while its package list is unchanged.
OM_ROOTS_DIR="${OM_ROOTS_DIR:-$HOME/.cache/om-backup/roots}"

# What a root holds: the build and test packages of scripts/lib/common.sh, the test extras
# scripts/test installs, and the tools a root itself needs (ca-certificates for npm's TLS).
om_root_packages() {
  local extra=(python3-prometheus-client python3-jsonschema ccache nodejs npm jq gnuplot-nox
    chromium python3-pil ca-certificates)
  local IFS=,
  echo "${OM_PACKAGES[*]},${extra[*]}"
}

# The archive's address, as this machine's apt sources name it.
om_archive_uri() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | head -n 1 | awk '{print ($1 == "deb") ? $2 : $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

# Makes (or reuses) the root of release $1; prints its path. A root whose package list changed
# is made again; a half-made one is never used (made beside, then renamed).
om_release_root() {
  local release="$1" root="$OM_ROOTS_DIR/$1"
  local packages stamp
  packages=$(om_root_packages)
  stamp=$(printf '%s\n%s\n' "$release" "$packages" | sha256sum | cut -c1-16)
  if [ -f "$root/.om-stamp" ] && [ "$(cat "$root/.om-stamp")" = "$stamp" ]; then
    echo "$root"; return 0
  fi
  command -v mmdebstrap >/dev/null || om_install_packages mmdebstrap >&2
  mkdir -p "$OM_ROOTS_DIR"
  rm -rf "$root.new"
  om_log "making a Debian $release root in $root (mmdebstrap)" >&2
  local started=$SECONDS
  # mmdebstrap keeps the servers it installs (sshd, MariaDB) from starting.
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    "$release" "$root.new" "$(om_archive_uri)" >&2
  echo "$stamp" >"$root.new/.om-stamp"
  rm -rf "$root"
  mv "$root.new" "$root"
  om_log "the Debian $release root took $((SECONDS - started)) s" >&2
  echo "$root"
}

# Runs scripts/test inside the root of release $1, in a mount namespace of its own (nothing it
# mounts outlives it): /dev, /proc, /sys and a new /dev/pts, the checkout at /src, the host's
# resolver. The build folder and ccache stay inside the root, so a warm run rebuilds little.
om_test_in_release() {
  local release="$1"; shift
  local root
  root=$(om_release_root "$release")
  mkdir -p "$root/src" "$root/run/netns"
  # The Node client's mysql2 package, as scripts/test installed it here (the root needs no
  # registry of its own).
  mkdir -p "$root/var/cache/om-backup/node"
  rm -rf "$root/var/cache/om-backup/node/node_modules"
  cp -a "$OM_TEST_NODE_PATH" "$root/var/cache/om-backup/node/node_modules"
  om_log "Debian $release: scripts/test inside $root"
  # shellcheck disable=SC2016
  unshare --mount --propagation private -- bash -c '
    set -e
    root="$1"; src="$2"; shift 2
    # The root a mount of its own: "ip netns exec" remounts / as a slave, which needs one.
    mount --bind "$root" "$root"
    mount --bind "$src" "$root/src"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
    mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
    mount -t tmpfs -o size=8g tmpfs "$root/tmp"
    exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" OM_TEST_INSIDE_ROOT=1 \
      OM_TEST_BUILD_ONLY="${OM_TEST_BUILD_ONLY:-0}" \
      OM_BUILD_DIR=/var/cache/om-backup/build OM_TEST_NODE_PATH=/var/cache/om-backup/node/node_modules \
      CCACHE_DIR=/var/cache/om-backup/ccache /src/scripts/test "$@"
  ' bash "$root" "$OM_ROOT" "$@"
}
