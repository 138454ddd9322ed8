#!/bin/bash
# capture.sh NS FIXTURE CASEFILE (as root, after mkf4.sh or mkf5.sh)
#
# Copies the /proc/net files of namespace NS that -r and -g read into
# internal/procnet/testdata/FIXTURE/net, runs /usr/bin/netstat for every line of
# CASEFILE (its arguments; a line starting with "timeout 2.5 " is run as is) and writes
# ../FIXTURE.txtar: a "cmd" section listing the command lines, then "CMD | stdout",
# "CMD | stderr" and "CMD | exit" per line. Fails if the /proc files changed meanwhile.
set -u
ns=$1 fx=$2 cases=$3
here=$(cd "$(dirname "$0")" && pwd)
proc=$here/../../../procnet/testdata/$fx/net
out=$here/../$fx.txtar
files="route rt_cache ipv6_route igmp igmp6"
mkdir -p "$proc"
for f in $files; do ip netns exec "$ns" cat /proc/net/$f > "$proc/$f"; done
{
  echo "# Captured from /usr/bin/netstat in fixture $fx (see oracle/); /proc files in internal/procnet/testdata/$fx."
  echo "-- cmd --"
  cat "$cases"
  while IFS= read -r args; do
    [ -z "$args" ] && continue
    tmp=$(mktemp -d)
    case $args in
      "timeout "*) "$here/nsrun" "$ns" env LC_ALL=C sh -c "$args" >"$tmp/o" 2>"$tmp/e"; rc=$? ;;
      *) "$here/nsrun" "$ns" env LC_ALL=C sh -c "/usr/bin/netstat $args" >"$tmp/o" 2>"$tmp/e"; rc=$? ;;
    esac
    printf -- '-- %s | stdout --\n' "$args"; cat "$tmp/o"
    printf -- '-- %s | stderr --\n' "$args"; cat "$tmp/e"
    printf -- '-- %s | exit --\n%s\n' "$args" "$rc"
    rm -rf "$tmp"
  done < "$cases"
} > "$out"
for f in $files; do
  if ! ip netns exec "$ns" cat /proc/net/$f | cmp -s - "$proc/$f"; then
    echo "UNSTABLE: /proc/net/$f changed during capture; run again" >&2; exit 1
  fi
done
