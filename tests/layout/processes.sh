#!/usr/bin/env bash
# Child processes are started and waited for in lib/om/proc only (docs/ARCHITECTURE.md,
# "Layout"): no other area forks, spawns, execs, waits or reaches into proc::detail.
#   processes.sh SOURCE_DIR
set -euo pipefail
src="$1"
found=$(grep -rnE '\b(fork|vfork|posix_spawnp?|execv[pe]*|execl[pe]*|waitpid|wait4|waitid)\(|proc::detail' \
  "$src/lib/om" --include='*.cpp' --include='*.hpp' | grep -v "^$src/lib/om/proc/" || true)
if [ -n "$found" ]; then
  echo "processes started or waited for outside lib/om/proc:"
  echo "${found//"$src/"/}"
  exit 1
fi
echo "every child process is started and waited for in lib/om/proc"
