#!/bin/sh
# make bench-serve: the CPU cost of one `netstat serve` scrape at a large socket
# population, side by side with the bare inet_diag TCP dump (the kernel floor) and
# node_exporter's tcpstat collector (Debian prometheus-node-exporter,
# --collector.disable-defaults --collector.tcpstat), all in one private network
# namespace holding the population test/popgen builds (CONNS established loopback
# connections, 2 sockets each, plus listeners, TIME_WAIT, IPv6 and UDP sockets).
#
# Measured, ROUNDS times over, each round SCRAPES scrapes of each server in turn:
#   - bare dump: test/bench -raw-dumps SCRAPES, one process running the TCP dump
#     `netstat -tan` uses (one walk of both families, every row decoded, no tcp_info);
#   - netstat serve with its default collectors (tcp, ports, listen, peers, snmp);
#   - netstat serve with the tcpstat-equivalent set (--collector.disable-defaults
#     --collector.tcp: connections per state, what node_exporter's tcpstat exports);
#   - netstat serve with the defaults and --collector.process, once with
#     --collector.process.scan-interval=1h (after the warm-up's scan, the owners come
#     from the cache: what the collector costs between rescans) and once with
#     --collector.process.scan-interval=0 (a scan of every process's open files at
#     every scrape: what a rescan costs, the worst case);
#   - node_exporter --collector.tcpstat.
# CPU per scrape is a server's user+system time (/proc/PID/stat) over the round's
# scrapes, divided by SCRAPES; the dump's is its process's (the shell's `times`).
# Peak RSS is each server's VmHWM at the end. The summary gives each figure's median
# over the rounds and its ratios to the dump and to node_exporter of the same round.
# Every process started is stopped by its PID; the namespace is deleted on exit.
#
#	CONNS=100000 SCRAPES=30 ROUNDS=5 scripts/bench-serve.sh
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
CONNS=${CONNS:-10000}
SCRAPES=${SCRAPES:-20}
SCRAPES0=${SCRAPES0:-3} # for the server that scans /proc at every scrape
ROUNDS=${ROUNDS:-3}
# A popgen worker holds 2*CONNS/PROCS+1 descriptors, under the open-file limit.
fdlimit=$(ulimit -n)
PROCS=${PROCS:-$((2 * CONNS / (fdlimit - 64) + 1))}
[ "$PROCS" -ge 4 ] || PROCS=4
go build -o bin/netstat ./cmd/netstat
go build -o bin/popgen ./test/popgen
go build -o bin/bench ./test/bench
ns="nsbenchserve$$"
out=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$out"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The namespace gets a socket hash table of its own (net.ipv4.tcp_child_ehash_entries,
# read when a namespace is created, EHASH buckets; EHASH=0 shares the host's): its
# dumps then walk this population, as on a host holding it, and not also the sockets
# other namespaces of a shared test machine hold in the host's table (300,000 of them
# made every dump here cost 55 ms of CPU in an empty namespace). The host's setting is
# put back at once.
EHASH=${EHASH:-$((2 * CONNS + 4096))}
ehash_was=$(sysctl -n net.ipv4.tcp_child_ehash_entries 2>/dev/null || true)
[ -z "$ehash_was" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$EHASH"
ip netns add "$ns" && added=1 || added=0
[ -z "$ehash_was" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$ehash_was"
[ "$added" = 1 ] || exit 1
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 65535"
mkfifo "$out/fifo"
ip netns exec "$ns" bin/popgen -conns "$CONNS" -procs "$PROCS" -renew 0 >"$out/fifo" &
pids="$pids $!"
read -r ready <"$out/fifo" || true
[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
sockets=$(ip netns exec "$ns" ss -Htan | wc -l)
echo "population: $CONNS connections ($PROCS processes), $sockets TCP sockets"
echo "machine: $(nproc) CPUs, $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# start NAME PORT ARGS...: a netstat serve in the namespace, its PID in $out/NAME.
start() {
	name=$1 port=$2
	shift 2
	ip netns exec "$ns" bin/netstat serve --web.listen-address=127.0.0.1:"$port" --log.level=warn "$@" &
	pids="$pids $!"
	echo "$! $port" >"$out/$name"
}
start default 10419
start tcp 10420 --collector.disable-defaults --collector.tcp
start process 10421 --collector.process --collector.process.scan-interval=1h
start process0 10422 --collector.process --collector.process.scan-interval=0
ip netns exec "$ns" prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.tcpstat --log.level=warn 2>/dev/null &
pids="$pids $!"
echo "$! 9100" >"$out/nodeexp"
sleep 1
servers="default tcp process process0 nodeexp"

# cputicks PID: user+system clock ticks of PID.
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# scrape_cost NAME N: CPU milliseconds per scrape of server NAME over N scrapes.
scrape_cost() {
	read -r p port <"$out/$1"
	url=http://127.0.0.1:$port/metrics
	before=$(cputicks "$p")
	i=0
	while [ $i -lt "$2" ]; do
		ip netns exec "$ns" curl -sf -o /dev/null "$url"
		i=$((i + 1))
	done
	after=$(cputicks "$p")
	awk -v t="$((after - before))" -v hz="$hz" -v s="$2" 'BEGIN { printf "%.1f", t * 1000 / hz / s }'
}

# dump_cost: CPU milliseconds per bare inet_diag TCP dump, SCRAPES dumps in one process.
dump_cost() {
	ip netns exec "$ns" sh -c "bin/bench -raw-dumps $SCRAPES; times" | tail -1 |
		awk -v s="$SCRAPES" '{ split($1, u, /[ms]/); split($2, y, /[ms]/)
			printf "%.1f", (u[1]*60 + u[2] + y[1]*60 + y[2]) * 1000 / s }'
}

# Warm up: the first scrapes build the servers' tables (and the owners cache).
for s in $servers; do
	read -r p port <"$out/$s"
	for _ in 1 2 3; do ip netns exec "$ns" curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; done
done

echo "CPU ms per scrape ($SCRAPES scrapes per figure, $SCRAPES0 for process0):"
echo "round dump default tcp process process0 nodeexp" | tee "$out/rounds"
r=1
while [ $r -le "$ROUNDS" ]; do
	line="$r $(dump_cost)"
	for s in $servers; do
		n=$SCRAPES
		[ "$s" != process0 ] || n=$SCRAPES0
		line="$line $(scrape_cost "$s" "$n")"
	done
	echo "$line" | tee -a "$out/rounds"
	r=$((r + 1))
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# hwm NAME: peak RSS of server NAME in MiB.
hwm() {
	read -r p port <"$out/$1"
	awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$p/status"
}
echo
echo "median over $ROUNDS rounds (ratios per round, then their median):"
for col in 2 3 4 5 6 7; do
	case $col in
	2) name="bare inet_diag dump (test/bench)" rss="" ;;
	3) name="serve, default collectors" rss=$(hwm default) ;;
	4) name="serve, tcp only (tcpstat's set)" rss=$(hwm tcp) ;;
	5) name="serve, + process, owners cached" rss=$(hwm process) ;;
	6) name="serve, + process, /proc scan each" rss=$(hwm process0) ;;
	7) name="node_exporter --collector.tcpstat" rss=$(hwm nodeexp) ;;
	esac
	awk -v c="$col" -v name="$name" -v rss="$rss" '
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		NR > 1 { n++; v[n] = $c; d[n] = $c / $2; ne[n] = $c / $7 }
		END {
			printf "%-36s %8.1f ms CPU/scrape  %5.2f x dump  %5.2f x node_exporter", name, median(v, n), median(d, n), median(ne, n)
			if (rss != "") printf "  %6.1f MiB peak RSS", rss
			printf "\n"
		}' "$out/rounds"
done
