#!/bin/sh
# make soak-serve (opt-in, root): `netstat serve` scraped every 100 ms for DURATION
# seconds (default 600) against a population of CONNS established loopback connections
# (default 25000: 50,000 sockets, plus listeners and TIME_WAIT) that churns: test/popgen
# renews its TIME_WAIT sockets every 5 s and a churn loop opens and closes short
# connections all along. Every SAMPLE seconds it records the server's RSS (VmRSS) and
# goroutine count (go_goroutines), the load average and the scrapes done and failed or
# late so far; at the end it prints them with the scrape count, failures and the
# distribution of scrape times, and fails if a scrape failed, took longer than the
# scrape deadline (--scrape.timeout, TIMEOUT seconds), or the last samples' RSS or
# goroutines grew beyond GROWTH percent of the first minute's maximum.
#
#	DURATION=120 CONNS=25000 scripts/soak-serve.sh
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
DURATION=${DURATION:-600}
CONNS=${CONNS:-25000}
PROCS=${PROCS:-6}
SAMPLE=${SAMPLE:-10}
TIMEOUT=${TIMEOUT:-5}
GROWTH=${GROWTH:-20}
go build -o bin/netstat ./cmd/netstat
go build -o bin/popgen ./test/popgen
ns="nssoakserve$$"
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
ip netns exec "$ns" bin/popgen -conns "$CONNS" -procs "$PROCS" -renew 5s >"$out/fifo" &
pids="$pids $!"
read -r ready <"$out/fifo" || true
[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
echo "population: $(ip netns exec "$ns" ss -Htan | wc -l) TCP sockets"
echo "machine: $(nproc) CPUs, $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

ip netns exec "$ns" bin/netstat serve --web.listen-address=127.0.0.1:10419 --scrape.timeout="${TIMEOUT}s" --log.level=warn 2>"$out/serve.log" &
serve=$!
pids="$pids $serve"
sleep 1

# Churn: a short connection every 50 ms (to the landing page), each leaving a
# TIME_WAIT socket behind, beside popgen's renewals.
ip netns exec "$ns" sh -c 'while :; do curl -s -o /dev/null --max-time 1 http://127.0.0.1:10419/; sleep 0.05; done' &
pids="$pids $!"

# The scraper: a scrape started every 100 ms for DURATION s, each its own curl in the
# background so that a slow scrape does not delay the next (as independent scrapers
# would; overlapping scrapes share passes), each scrape's HTTP code and time on a
# line. Starting a process can take longer than 100 ms on a loaded machine, so the
# loop starts every scrape that is due by the clock: DURATION*10 scrapes in all,
# bunched when it fell behind.
ip netns exec "$ns" sh -c '
	due=$(($1 * 10))
	start=$(date +%s%N)
	n=0
	while [ $n -lt $due ]; do
		tick=$((($(date +%s%N) - start) / 100000000))
		while [ $n -le $tick ] && [ $n -lt $due ]; do
			curl -s -o /dev/null --max-time "$2" -w "%{http_code} %{time_total}\n" http://127.0.0.1:10419/metrics >>"$3" &
			n=$((n + 1))
		done
		sleep 0.05
	done
	wait' soak "$DURATION" "$TIMEOUT" "$out/scrapes" &
scraper=$!
pids="$pids $scraper"

echo "second rss_kib goroutines load1 scrapes_done late_so_far"
start=$(date +%s)
while kill -0 "$scraper" 2>/dev/null; do
	now=$(($(date +%s) - start))
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$serve/status")
	gor=$(ip netns exec "$ns" curl -s http://127.0.0.1:10419/metrics | awk '/^go_goroutines / {print $2}')
	done_late=$(awk -v timeout="$TIMEOUT" '{ n++; if ($1 != 200 || $2 >= timeout) late++ } END { printf "%d %d", n, late }' "$out/scrapes" 2>/dev/null || echo "0 0")
	echo "$now $rss $gor $(cut -d' ' -f1 /proc/loadavg) $done_late" | tee -a "$out/samples"
	sleep "$SAMPLE"
done
wait "$scraper" || true
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); server CPU: $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f s", ($14 + $15) / hz}' "/proc/$serve/stat")"

sort -k2 -n "$out/scrapes" | awk -v timeout="$TIMEOUT" '{ n++; t[n] = $2; if ($1 != 200) bad++; if ($2 >= timeout) late++ }
	END { printf "scrapes: %d, failed: %d, over the deadline: %d; time per scrape: median %.3f s, p90 %.3f s, p99 %.3f s, slowest %.3f s\n",
		n, bad, late, t[int(n * 0.5) + 1], t[int(n * 0.9) + 1], t[int(n * 0.99) + 1], t[n]; exit (n == 0 || bad > 0 || late > 0) }' || { echo "FAIL: failed or late scrapes"; exit 1; }
awk -v g="$GROWTH" -v first=$((60 / SAMPLE)) 'NR <= first { if ($2 > br) br = $2; if ($3 > bq) bq = $3 }
	{ lr = $2; lq = $3; if ($2 > mr) mr = $2 }
	END {
		printf "RSS: first minute max %d KiB, last %d KiB, max %d KiB; goroutines: first minute max %d, last %d\n", br, lr, mr, bq, lq
		if (lr > br * (1 + g / 100) || lq > bq * (1 + g / 100)) { print "FAIL: growth above " g "%"; exit 1 }
	}' "$out/samples"
echo "PASS"
