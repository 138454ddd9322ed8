#!/bin/sh
# Listeners use ports 20000+, below the ephemeral range set here.
# Builds socket populations of 1k, 10k and 100k established loopback connections in a
# private network namespace and times our netstat, ss and net-tools netstat side by side.
# Every process started is stopped by its PID; the namespace is deleted on exit.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
go build -o bin/netstat ./cmd/netstat
go build -o bin/popgen ./test/popgen
go build -o bin/bench ./test/bench
ns="nsbench$$"
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
RUNS=${RUNS:-5}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(go version | cut -d' ' -f3)"
for spec in ${SIZES:-1000:10 10000:10 100000:12}; do
	conns=${spec%%:*}
	procs=${spec##*:}
	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 65535"
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	ip netns exec "$ns" bin/popgen -conns "$conns" -procs "$procs" >"$fifo" &
	pid=$!
	t0=$(date +%s)
	read -r ready <"$fifo"
	rm -f "$fifo"
	[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
	echo "built $conns connections over $procs processes in $(( $(date +%s) - t0 )) s"
	ip netns exec "$ns" bin/bench -label "$conns connections" -runs "$RUNS" -ours bin/netstat
	kill "$pid"; wait "$pid" 2>/dev/null || true
	pid=""
	ip netns del "$ns"
done
