#!/bin/sh
# Benchmark of netstat top, at socket populations built by test/popgen in a private
# network namespace:
#
#  1. test/benchtop drives the view's model with the live source and prints the CPU
#     time (user+system) per refresh next to the floor under it (source.Live's
#     snapshot of the TCP sockets without extras: the inet_diag dump plus what the
#     live source adds to every snapshot), the source's share (top's own stream) and
#     the cost of one frame;
#  2. the real binary, `netstat top -n --interval 1s`, runs in tmux for WINDOW seconds
#     after a WARMUP (its first refreshes and its first owner look-up, which reads
#     every process of the host): the whole process's CPU over the window in % of
#     one core (from /proc/PID/stat), the number of refreshes (its clock on screen)
#     and its peak RSS (VmHWM, warm-up included).
#
# SIZES are established loopback connections (two sockets each, plus popgen's
# listeners, TIME_WAIT, IPv6, UDP and unix sockets): 100 (about 800 sockets), 5,000
# (10,000) and 100,000 (200,000) by default. RUNS timed refreshes per size (median).
# Every process started is stopped by its PID (tmux by its server socket); the
# namespace is removed on exit.
set -eu
cd "$(dirname "$0")/.."
go build -o bin/popgen ./test/popgen
go build -o bin/benchtop ./test/benchtop
CGO_ENABLED=0 go build -o bin/netstat ./cmd/netstat
ns="nsbenchtop$$"
sock="benchtop$$"
pid=""
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	fi
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
hz=$(getconf CLK_TCK)
# cputicks PID: utime+stime of a process, in clock ticks.
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "machine: $(nproc) cores, kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# mkns BUCKETS: the namespace, with a TCP hash table of its own (the host's
# net.ipv4.tcp_child_ehash_entries is read when a namespace is created, and put back
# at once), so that its dumps walk the population measured and not also every socket
# other namespaces of a shared test machine hold in the host's table. EHASH=0 shares
# the host's.
mkns() {
	was=$(sysctl -n net.ipv4.tcp_child_ehash_entries 2>/dev/null || true)
	[ -z "$was" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$1"
	ip netns add "$ns" && ok=1 || ok=0
	[ -z "$was" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$was"
	[ "$ok" = 1 ]
}
for conns in ${SIZES:-100 5000 100000}; do
	mkns "${EHASH:-$((2 * conns + 4096))}"
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

	tmux -L "$sock" -f /dev/null new-session -d -s top -x 120 -y 40 \
		"ip netns exec $ns bin/netstat top -n --interval 1s"
	top=$(tmux -L "$sock" display -p -t top '#{pane_pid}')
	sleep "${WARMUP:-10}"
	[ "$(cat "/proc/$top/comm")" = netstat ] || { echo "netstat top is not running as PID $top" >&2; exit 1; }
	c0=$(cputicks "$top")
	t0=$(date +%s.%N)
	sleep "${WINDOW:-60}"
	c1=$(cputicks "$top")
	t1=$(date +%s.%N)
	hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$top/status")
	screen=$(tmux -L "$sock" capture-pane -p -t top | head -1)
	tmux -L "$sock" kill-server
	echo "$conns connections: netstat top at 1 refresh/s: $(echo "$c0 $c1 $t0 $t1 $hz" | awk '{printf "%.2f %% of a core over %.0f s", 100 * ($2 - $1) / $5 / ($4 - $3), $4 - $3}'), peak RSS $hwm MiB; title: $screen"

	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
	ip netns del "$ns"
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
