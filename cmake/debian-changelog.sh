#!/bin/sh
# Writes the Debian changelog of the .deb from CHANGELOG.md's released sections (## [X.Y.Z] -
# YYYY-MM-DD), newest first: one "  * " item per entry, wrapped at 78 columns, and the
# maintainer's trailer dated at the release's day (releases of one day an hour apart, the newest
# at noon: CHANGELOG.md keeps days, Debian wants each entry newer than the one below it).
# Unreleased entries are left out.
#   debian-changelog.sh CHANGELOG.md "Name <address>" OUTPUT
set -eu
changelog="$1" maintainer="$2" output="$3"
awk -v maintainer="$maintainer" '
function trailer() {
  if (version == "") return
  flush()
  cmd = "LC_ALL=C date -u -R -d \"" date " " (12 - same_day[date]++) ":00\""
  cmd | getline when; close(cmd)
  printf "\n -- %s  %s\n", maintainer, when
  version = ""
}
function flush(   n, i, words, line) {
  if (entry == "") return
  n = split(entry, words, " ")
  line = "  *"
  for (i = 1; i <= n; i++) {
    if (length(line) + 1 + length(words[i]) > 78 && line != "  *" && line != "   ") {
      print line; line = "   "
    }
    line = line " " words[i]
  }
  print line
  entry = ""
}
/^## \[[0-9]+\.[0-9]+\.[0-9]+\] - [0-9-]+$/ {
  trailer()
  if (seen++) print ""
  version = substr($2, 2, length($2) - 2); date = $4
  printf "om-backup (%s) unstable; urgency=medium\n\n", version
  next
}
/^## / { trailer(); next }
version == "" { next }
/^### / { flush(); next }
/^- / { flush(); entry = substr($0, 3); next }
/^  [^ ]/ { if (entry != "") { sub(/^ +/, ""); entry = entry " " $0 }; next }
/^$/ { flush(); next }
END { trailer() }
' "$changelog" >"$output.new"
mv "$output.new" "$output"
