#!/usr/bin/env bash
# borg's command lines are built in one place, lib/om/borg/commands.cpp: no other area spells
# an argument list that starts with a borg command (docs/ARCHITECTURE.md, "Layout").
#   borg_commands.sh SOURCE_DIR
set -euo pipefail
src="$1"
commands='init|create|extract|list|info|prune|compact|check|delete|diff|with-lock|break-lock'
commands+='|recreate|rename|mount|umount|upgrade|export-tar|import-tar|serve|transfer'
commands+='|repo-create|repo-info|repo-list|repo-delete|repo-compress'
# A borg argument list: handed to a client (run, command) or kept as a command's arguments.
found=$(grep -rnE "((run|command)\(\{|args = \{|Args\{) *\"($commands)\"" "$src/lib/om" \
  --include='*.cpp' --include='*.hpp' |
  grep -v "^$src/lib/om/borg/commands.cpp:" || true)
if [ -n "$found" ]; then
  echo "borg command lines outside lib/om/borg/commands.cpp:"
  echo "${found//"$src/"/}"
  exit 1
fi
echo "every borg command line is built in lib/om/borg/commands.cpp"
