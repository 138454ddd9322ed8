#!/bin/sh
# make bench: times our netstat, ss and net-tools netstat side by side on socket
# populations built in a private network namespace, then prints the figures and the
# verdict on each target of the issue "Speed: faster than ss at 200,000 sockets".
#
# Populations (SIZES, "connections:processes[:spread]"): 1k, 10k and 100k established
# loopback TCP connections (2 sockets each) plus listeners, TIME_WAIT, IPv6, UDP and
# unix sockets, held by 10-12 processes; 57,500 connections (115k sockets) over 100
# processes, the population the -tulpn target is set on; and 100k connections handed
# on to 1,000 processes (20 workers, each with 49 holders). Then the name-resolution case:
# 1,000 peers on distinct 127.10.x.y addresses, resolv.conf pointing at a DNS server
# that never answers, ours `-ta` under `hosts: files dns` against net-tools `-ta` under
# `hosts: files` (same output expected, since no name comes back).
#
# Listeners use ports 20000+, below the ephemeral range set here. -p scans every
# process of the machine, so nothing else big should run meanwhile. Every process
# started is stopped by its PID; namespaces and files are removed on exit.
# At 100k connections it also times the kernel floors under -tanc (test/bench/floor.go):
# a bare inet_diag dump, and two BPF TCP iterators (test/bench/bpf) pinned in a private
# bpffs, which need clang, bpftool and libbpf-dev (installed here when missing).
# RUNS (default 5) bounds the timed runs per command; results go to bin/bench-results.jsonl.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
go build -o bin/netstat ./cmd/netstat
go build -o bin/popgen ./test/popgen
go build -o bin/bench ./test/bench
go build -o bin/dnssink ./test/perf/dnssink
ns="nsbench$$"
pid=""
sink=""
etc=""
cleanup() {
	for p in $pid $sink; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	ip netns del "$ns" 2>/dev/null || true
	[ -n "$etc" ] && rm -rf "$etc"
	cleanup_bpf
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RUNS=${RUNS:-5}
results=bin/bench-results.jsonl
rm -f "$results"
started=$(date +%s)

# setup_bpf builds the two TCP iterators of test/bench/bpf and pins them in a private
# bpffs under $bpfdir/fs, for the kernel floors at 100k connections (bench -floor).
# They need clang, bpftool, libbpf's headers and a kernel with BTF; without them the
# BPF floors are skipped, not the bench.
bpfdir=""
setup_bpf() {
	if ! command -v clang >/dev/null 2>&1 || ! command -v bpftool >/dev/null 2>&1 || [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
		echo "installing clang, bpftool and libbpf-dev for the BPF floors"
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang llvm bpftool libbpf-dev; } >/dev/null 2>&1 ||
			{ echo "BPF floors skipped: clang, bpftool and libbpf-dev could not be installed"; return 1; }
	fi
	[ -r /sys/kernel/btf/vmlinux ] || { echo "BPF floors skipped: the kernel has no BTF"; return 1; }
	bpfdir=$(mktemp -d)
	bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$bpfdir/vmlinux.h" || return 1
	mkdir "$bpfdir/fs" && mount -t bpf bpf "$bpfdir/fs" || return 1
	for prog in nop rows; do
		clang -O2 -g -target bpf -I "$bpfdir" -c "test/bench/bpf/$prog.bpf.c" -o "$bpfdir/$prog.o" &&
			bpftool iter pin "$bpfdir/$prog.o" "$bpfdir/fs/$prog" ||
			{ echo "BPF floors skipped: the $prog iterator did not build or load"; return 1; }
	done
}

cleanup_bpf() {
	[ -n "$bpfdir" ] || return 0
	rm -f "$bpfdir/fs/nop" "$bpfdir/fs/rows"
	umount "$bpfdir/fs" 2>/dev/null || true
	rm -rf "$bpfdir"
	bpfdir=""
}

# populate CONNS PROCS SPREAD [POPGEN-ARGS...]: a fresh namespace with a population.
populate() {
	conns=$1 procs=$2 spread=$3
	shift 3
	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 65535"
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	ip netns exec "$ns" bin/popgen -conns "$conns" -procs "$procs" -spread "$spread" "$@" >"$fifo" &
	pid=$!
	t0=$(date +%s)
	read -r ready <"$fifo" || true
	rm -f "$fifo"
	[ "$ready" = READY ] || { echo "population did not get ready" >&2; exit 1; }
	echo "built $conns connections over $((procs + procs * spread)) processes in $(( $(date +%s) - t0 )) s"
}

depopulate() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
	ip netns del "$ns"
}

setup_bpf || cleanup_bpf
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for spec in ${SIZES:-1000:10 10000:10 57500:100 100000:12 100000:20:49}; do
	conns=${spec%%:*}
	rest=${spec#*:}
	procs=${rest%%:*}
	spread=0
	[ "$rest" != "$procs" ] && spread=${rest#*:}
	total=$((procs + procs * spread))
	label="$conns"
	[ "$spread" -gt 0 ] && label="$conns ($total processes)"
	cont=""
	if [ "$conns" -ge 100000 ]; then
		cont="-cont -floor"
		[ -n "$bpfdir" ] && cont="$cont -bpf $bpfdir/fs"
	fi
	populate "$conns" "$procs" "$spread"
	ip netns exec "$ns" bin/bench -label "$label" -procs "$total" -runs "$RUNS" -ours bin/netstat -results "$results" $cont
	depopulate
done

# The name-resolution case: no TIME_WAIT churn, so that both outputs can be compared.
etc=$(mktemp -d)
sed 's/^hosts:.*/hosts: files dns/' /etc/nsswitch.conf >"$etc/nsswitch-dns.conf"
sed 's/^hosts:.*/hosts: files/' /etc/nsswitch.conf >"$etc/nsswitch-files.conf"
grep -q '^hosts:' "$etc/nsswitch-dns.conf" || echo 'hosts: files dns' >>"$etc/nsswitch-dns.conf"
grep -q '^hosts:' "$etc/nsswitch-files.conf" || echo 'hosts: files' >>"$etc/nsswitch-files.conf"
echo "nameserver 127.0.0.53" >"$etc/resolv.conf"
populate 1000 1 0 -peers -extras=false
fifo=$(mktemp -u)
mkfifo "$fifo"
ip netns exec "$ns" bin/dnssink -addr 127.0.0.53:53 >"$fifo" &
sink=$!
read -r ready <"$fifo" || true
rm -f "$fifo"
[ "$ready" = READY ] || { echo "DNS sink did not get ready" >&2; exit 1; }
ip netns exec "$ns" bin/bench -dns "$etc" -label "1000 peers, DNS unanswered" -runs 3 -ours bin/netstat -results "$results"
kill "$sink"
wait "$sink" 2>/dev/null || true
sink=""
depopulate

echo
echo "summary (bench took $(( $(date +%s) - started )) s):"
echo
bin/bench -summary "$results"
