# fish completion for the om-backup tools, from each tool's own --help (never out of date).
for tool in om-backup-migrate om-backup-run om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy om-backup-check
    complete -c $tool -f -a "($tool --help 2>/dev/null | string match -r -a -- '--[a-z][a-z0-9-]*' | sort -u)"
    complete -c $tool -f -a "($tool --help 2>/dev/null | sed -n '/^Subcommands:/,/^\$/p' | awk 'NR>1 && NF {print \$1}')"
end
