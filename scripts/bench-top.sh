#!/bin/sh
# Benchmark of netstat top: CPU per refresh of the view next to the floor under it
# (source.Live's snapshot of the TCP sockets without extras: the inet_diag dump plus
# what the live source adds to every snapshot), the cost of one frame, and peak RSS,
# at socket populations built by test/popgen in a private network namespace.
#
# SIZES are established loopback connections (two sockets each, plus popgen's
# listeners, TIME_WAIT, IPv6, UDP and unix sockets): 100 (about 200 sockets), 5,000
# (10,000) and 100,000 (200,000) by default. RUNS timed refreshes per size (median).
# Every process started is stopped by its PID; the namespace is removed on exit.
set -eu
cd "$(dirname "$0")/.."
go build -o bin/popgen ./test/popgen
go build -o bin/benchtop ./test/benchtop
ns="nsbenchtop$$"
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	fi
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "machine: $(nproc) cores, kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for conns in ${SIZES:-100 5000 100000}; do
	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 65535"
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	procs=$((conns / 4000))
	[ "$procs" -lt 10 ] && procs=10 # each worker holds up to 8,000 descriptors
	ip netns exec "$ns" bin/popgen -conns "$conns" -procs "$procs" -renew 0 >"$fifo" &
	pid=$!
	read -r ready <"$fifo" || true
	rm -f "$fifo"
	[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
	ip netns exec "$ns" bin/benchtop -label "$conns connections" -runs "${RUNS:-10}"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
	ip netns del "$ns"
done
