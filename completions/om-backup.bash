# bash completion for the om-backup tools. The options and subcommands are read from the
# tool's own --help, so completion always matches the installed version.
_om_backup() {
  local cur prev words cword
  _init_completion 2>/dev/null || { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; }
  local tool="${COMP_WORDS[0]}"
  case "$prev" in
    --config|--db-defaults-file|--app-db-defaults-file|--passphrase-file|--borg-list-json|--borg-info-json|--output|--rclone-config)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --log-dir|--state-dir|--backup-root|--prod-root|--uploads-dir|--to-dir)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --kind) COMPREPLY=($(compgen -W "borg files db both copy" -- "$cur")); return ;;
    --status) COMPREPLY=($(compgen -W "queued running success failed cancelled" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "table json csv" -- "$cur")); return ;;
  esac
  local help words_list
  help="$("$tool" --help 2>/dev/null)"
  words_list="$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)"
  # Subcommands: the names listed under "Subcommands:".
  words_list="$words_list $(printf '%s\n' "$help" | sed -n '/^Subcommands:/,/^$/p' | awk 'NR>1 && NF {print $1}')"
  COMPREPLY=($(compgen -W "$words_list" -- "$cur"))
}
complete -F _om_backup om-backup-migrate om-backup-run om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy om-backup-check
