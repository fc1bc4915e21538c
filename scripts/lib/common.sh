# Shared by scripts/test and scripts/demo: packages, build, a private MariaDB.
# shellcheck shell=bash

OM_PACKAGES=(
  build-essential cmake pkg-config
  libcli11-dev default-libmysqlclient-dev libsimdjson-dev libhowardhinnant-date-dev
  libspdlog-dev catch2 libssl-dev uuid-dev zlib1g-dev libcurl4-openssl-dev
  borgbackup pigz tar gzip mariadb-server mariadb-client tzdata python3 help2man dpkg-dev file man-db
  openssh-server openssh-client procps rclone systemd lintian iproute2 util-linux hostname bash
)

# A step of a script, with the seconds since it started (scripts/test's stages are timed so).
om_log() { printf '==> [%ss] %s\n' "$SECONDS" "$*" >&2; }

# Installs the Debian packages that are missing (apt-get update once, only when needed).
om_install_packages() {
  local missing=()
  for p in "${OM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  om_log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # Installing a server package must not start a server (sshd on port 22, a MariaDB): the tests
  # start their own on 127.0.0.1. A policy-rc.d of the machine's own is left as it is.
  local policy=/usr/sbin/policy-rc.d ours=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy"
    ours=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  if [ -n "$ours" ]; then $sudo rm -f "$policy"; fi
  return "$rc"
}

# Configures and builds into $1 (extra cmake arguments follow). A failing build goes on with what
# does not depend on the failure (make -k), so one run shows every error.
om_build() {
  local build_dir="$1"; shift
  cmake -S "$OM_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" -- -k
}

# Starts a private MariaDB under $1 (datadir, socket, pid, log; no TCP). Sets OM_DB_SOCKET_PATH.
om_start_mariadb() {
  local dir="$1"
  mkdir -p "$dir"
  OM_DB_SOCKET_PATH="$dir/mysqld.sock"
  OM_DB_PID_FILE="$dir/mysqld.pid"
  if [ -S "$OM_DB_SOCKET_PATH" ] && mariadb-admin --socket="$OM_DB_SOCKET_PATH" -uroot ping >/dev/null 2>&1; then
    return 0
  fi
  # A folder of its own for temporary tables: a starting mariadbd deletes every #sql* file in
  # its tmpdir, which in a shared /tmp are the live temporary tables of the other test servers.
  mkdir -p "$dir/tmp"
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 || {
      cat "$dir/install.log" >&2; return 1; }
  fi
  mariadbd --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$OM_DB_SOCKET_PATH" --skip-networking \
    --user=root --pid-file="$OM_DB_PID_FILE" --log-error="$dir/error.log" \
    --innodb-buffer-pool-size=256M --max-connections=500 >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    mariadb-admin --socket="$OM_DB_SOCKET_PATH" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  om_log "MariaDB did not start; its log:"; cat "$dir/error.log" >&2
  return 1
}

om_stop_mariadb() {
  local dir="$1"
  [ -f "$dir/mysqld.pid" ] || return 0
  local pid; pid=$(cat "$dir/mysqld.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
