#!/bin/bash
# capture.sh PROCOUT GOLDOUT CASEFILE  -- run inside the fixture namespace (via nsrun).
# Copies the /proc/net files this mode reads, then runs /usr/bin/netstat for every
# case line ("name<TAB>args") and writes GOLDOUT/name.txtar; then re-reads the proc
# files and fails if anything changed in between.
set -u
proc=$1 gold=$2 cases=$3
files="route rt_cache ipv6_route igmp igmp6"
mkdir -p "$proc/net" "$gold"
for f in $files; do cat /proc/net/$f > "$proc/net/$f"; done
while IFS=$'\t' read -r name args; do
  [ -z "$name" ] && continue
  case $name in \#*) continue;; esac
  tmp=$(mktemp -d)
  if [ "${args#timeout }" != "$args" ]; then
    eval "LC_ALL=C $args" >"$tmp/o" 2>"$tmp/e"; rc=$?
  else
    eval "LC_ALL=C /usr/bin/netstat $args" >"$tmp/o" 2>"$tmp/e"; rc=$?
  fi
  {
    printf -- '-- args --\n%s\n-- stdout --\n' "$args"
    cat "$tmp/o"
    printf -- '-- stderr --\n'
    cat "$tmp/e"
    printf -- '-- exit --\n%s\n' "$rc"
  } > "$gold/$name.txtar"
  rm -rf "$tmp"
done < "$cases"
for f in $files; do
  if ! cat /proc/net/$f | cmp -s - "$proc/net/$f"; then echo "UNSTABLE: /proc/net/$f changed during capture" >&2; exit 1; fi
done
echo captured
