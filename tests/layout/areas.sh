#!/usr/bin/env bash
# The library's layout rule: an area of lib/om/ includes only itself and the areas listed
# before it (lib/CMakeLists.txt's OM_AREAS), and every folder of lib/om/ is in the list.
#   areas.sh SOURCE_DIR AREA...
set -euo pipefail
src="$1"; shift
declare -A rank
i=0
for area in "$@"; do rank[$area]=$i; i=$((i + 1)); done
status=0
for dir in "$src"/lib/om/*/; do
  area=$(basename "$dir")
  if [ -z "${rank[$area]+set}" ]; then
    echo "lib/om/$area: not in OM_AREAS (lib/CMakeLists.txt)"; status=1; continue
  fi
  while IFS=: read -r file used; do
    if [ -z "${rank[$used]+set}" ]; then
      echo "${file#"$src"/}: includes om/$used/, which is no area"; status=1
    elif [ "${rank[$used]}" -gt "${rank[$area]}" ]; then
      echo "${file#"$src"/}: area $area includes om/$used/, listed after it"; status=1
    fi
  done < <(grep -rHoE '^#include <om/[a-z_]+/' "$dir" | sed -E 's#^([^:]+):\#include <om/([a-z_]+)/#\1:\2#')
done
[ "$status" = 0 ] && echo "every area includes only those listed before it: $*"
exit "$status"
