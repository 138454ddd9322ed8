#!/bin/sh
# make bench-serve: the cost of one `netstat serve` scrape at a large socket population,
# beside the bare inet_diag TCP dump (test/bench -raw-dump: the kernel floor, one
# process per dump, so its figure includes a process start) and node_exporter's
# tcpstat collector (Debian prometheus-node-exporter, --collector.disable-defaults
# --collector.tcpstat), all in one private network namespace holding the population
# test/popgen builds (CONNS established loopback connections, 2 sockets each, plus
# listeners, TIME_WAIT, IPv6 and UDP sockets).
#
# CPU per scrape is the server process's user+system time (/proc/PID/stat) over
# SCRAPES scrapes, divided by SCRAPES; peak RSS is its VmHWM afterwards. Every process
# started is stopped by its PID; the namespace is deleted on exit.
#
#	CONNS=10000 SCRAPES=50 scripts/bench-serve.sh
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
CONNS=${CONNS:-10000}
PROCS=${PROCS:-4}
SCRAPES=${SCRAPES:-50}
go build -o bin/netstat ./cmd/netstat
go build -o bin/popgen ./test/popgen
go build -o bin/bench ./test/bench
ns="nsbenchserve$$"
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	ip netns del "$ns" 2>/dev/null || true
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 65535"
fifo=$(mktemp -u)
mkfifo "$fifo"
ip netns exec "$ns" bin/popgen -conns "$CONNS" -procs "$PROCS" -renew 0 >"$fifo" &
pids="$pids $!"
read -r ready <"$fifo" || true
rm -f "$fifo"
[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
sockets=$(ip netns exec "$ns" ss -Htan | wc -l)
echo "population: $CONNS connections, $sockets TCP sockets"

ip netns exec "$ns" bin/netstat serve --web.listen-address=127.0.0.1:10419 --log.level=warn &
serve=$!
pids="$pids $serve"
ip netns exec "$ns" prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.tcpstat --log.level=warn 2>/dev/null &
nodeexp=$!
pids="$pids $nodeexp"
sleep 1

# cputicks PID: user+system clock ticks of PID.
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# scrape_cost NAME PID URL: CPU milliseconds per scrape of URL, and peak RSS.
scrape_cost() {
	name=$1 p=$2 url=$3
	for _ in 1 2 3; do ip netns exec "$ns" curl -sf -o /dev/null "$url"; done
	before=$(cputicks "$p")
	t0=$(date +%s.%N)
	i=0
	while [ $i -lt "$SCRAPES" ]; do
		ip netns exec "$ns" curl -sf -o /dev/null "$url"
		i=$((i + 1))
	done
	t1=$(date +%s.%N)
	after=$(cputicks "$p")
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$p/status")
	awk -v n="$name" -v t="$((after - before))" -v hz="$hz" -v s="$SCRAPES" -v t0="$t0" -v t1="$t1" -v hwm="$hwm" \
		'BEGIN { printf "%-34s %10.2f ms CPU/scrape %9.1f ms wall/scrape (curl incl.) %8.1f MiB peak RSS\n", n, t*1000/hz/s, (t1-t0)*1000/s, hwm/1024 }'
}

# dump_cost: CPU milliseconds per bare inet_diag TCP dump (a whole process each).
dump_cost() {
	out=$(ip netns exec "$ns" sh -c "i=0; while [ \$i -lt $SCRAPES ]; do bin/bench -raw-dump >/dev/null; i=\$((i+1)); done; times" | tail -1)
	# times prints the children's "user system" as e.g. 0m1.230s 0m0.450s
	echo "$out" | awk -v s="$SCRAPES" '{
		split($1, u, /[ms]/); split($2, y, /[ms]/)
		printf "%-34s %10.2f ms CPU/dump\n", "bare inet_diag dump (process)", (u[1]*60 + u[2] + y[1]*60 + y[2]) * 1000 / s }'
}

echo "scrapes: $SCRAPES each"
dump_cost
scrape_cost "netstat serve (default collectors)" "$serve" http://127.0.0.1:10419/metrics
scrape_cost "node_exporter --collector.tcpstat" "$nodeexp" http://127.0.0.1:9100/metrics
