#!/bin/sh
# netstat sniff's benchmark: N packets (default 500,000) sent on loopback inside a
# private network namespace, captured in turn by
#   ours      netstat sniff top-sources --by packets --port 80
#   tcpdump   tcpdump -i lo -w /dev/null 'tcp dst port 80'
#   recipe    tcpdump -i lo -tnn dst port 80 | awk | sort | uniq -c | sort -nr | head -20
# (the cheat sheet's recipe). Each runs alone for the same window while the sender
# (internal/sniff/testdata/blast) sends as fast as it can. Printed: packets the kernel
# handed over (tcpdump on lo also gets the outgoing copy of each packet; ours drops it
# in its filter), kernel drops, CPU seconds (user+sys, children included), CPU per packet
# sent, peak RSS, and the ratios. Needs root, tcpdump, GNU time, go.
set -eu
[ "$(id -u)" = 0 ] || { echo "bench-sniff: run as root (it creates a network namespace)" >&2; exit 1; }
N=${N:-500000}
export N
WINDOW=${WINDOW:-12}
if [ "${SNIFF_IN_NETNS:-}" != 1 ]; then
	SNIFF_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ip link set lo up
CGO_ENABLED=0 go build -o "$tmp/netstat" ./cmd/netstat
CGO_ENABLED=0 go build -o "$tmp/blast" ./internal/sniff/testdata/blast

# run NAME COMMAND: runs COMMAND under GNU time for WINDOW seconds while blast sends.
run() {
	name=$1
	shift
	/usr/bin/time -f '%U %S %M' -o "$tmp/$name.time" sh -c "$*" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	sleep 1.5
	"$tmp/blast" "$N" >"$tmp/$name.blast"
	wait "$pid" || true
}

run ours "'$tmp/netstat' sniff top-sources --by packets --port 80 --duration ${WINDOW}s"
run tcpdump "timeout -s INT $WINDOW tcpdump -i lo -n -w /dev/null 'tcp dst port 80'"
run recipe "timeout -s INT $WINDOW tcpdump -i lo -tnn dst port 80 2>'$tmp/recipe.tcpdump' | awk -F'.' '{print \$1\".\"\$2\".\"\$3\".\"\$4}' | sort | uniq -c | sort -nr | head -20"

# received and dropped, from each one's own report.
counts() {
	case $1 in
	ours) sed -n 's/^\([0-9]*\) packets received by filter, \([0-9]*\) packets dropped by kernel$/\1 \2/p' "$tmp/ours.err" ;;
	tcpdump) f="$tmp/tcpdump.err" ;;
	recipe) f="$tmp/recipe.tcpdump" ;;
	esac
	if [ "$1" != ours ]; then
		r=$(sed -n 's/^\([0-9]*\) packets received by filter$/\1/p' "$f")
		d=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$f")
		echo "$r $d"
	fi
}

printf '%-8s %10s %8s %7s %12s %10s   %s\n' capturer received drops cpu_s ns/packet rss_MiB sender
for n in ours tcpdump recipe; do
	set -- $(counts $n) $(tail -n 1 "$tmp/$n.time")
	rcv=$1 drops=$2 user=$3 sys=$4 rss=$5
	awk -v n=$n -v r="$rcv" -v d="$drops" -v u="$user" -v s="$sys" -v m="$rss" -v b="$(cat "$tmp/$n.blast")" 'BEGIN {
		c = u + s; per = c / ENVIRON["N"] * 1e9
		printf "%-8s %10d %8d %7.2f %12.0f %10.1f   %s\n", n, r, d, c, per, m / 1024, b
	}'
	echo "$n $rcv $user $sys $rss" >>"$tmp/table"
done
awk '{ c[$1] = $3 + $4; m[$1] = $5 }
END {
	printf "CPU per packet: ours/recipe %.2f, ours/tcpdump %.2f; peak RSS: ours %.1f MiB (%.2f x tcpdump)\n",
		c["ours"] / c["recipe"], c["ours"] / c["tcpdump"], m["ours"] / 1024, m["ours"] / m["tcpdump"]
}' "$tmp/table"
echo "ours printed:"; head -3 "$tmp/ours.out"
echo "the recipe printed:"; head -3 "$tmp/recipe.out"
