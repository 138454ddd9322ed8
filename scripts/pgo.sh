#!/bin/sh
# Regenerates cmd/netstat/release.pgo, the CPU profile the release build (make build,
# make install) and the weblog benchmark use for profile-guided optimisation
# (go build -pgo=FILE): the compiler then inlines the call sites the profile shows hot.
# It is not named default.pgo on purpose: go build and go run would then use it in
# every build, the tests' too, and a build with a profile compiles every package
# again, standard library included (make test took twice as long on a loaded machine). The profile is of the weblog reports
# on the benchmark's generated log (1M combined lines with response times), each
# report run ROUNDS times (default 3), kept to the samples in internal/weblog and
# with the runtime's frames hidden, so that only the weblog code's own call sites
# are hot: the netstat listings spend their time in the kernel's socket dumps and
# /proc reads, where inlining changes nothing. Measured when it was introduced
# (2026-12-07): `report` 5-7 % less wall time, `top-urls` 3 %, the other single
# reports within noise, and a small `netstat -tanp` 1-1.5 ms slower (start-up).
# Rerun it after a change to the weblog code's hot paths; a stale profile only
# optimises less. Usage: [ROUNDS=N] scripts/pgo.sh
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CGO_ENABLED=0 go build -pgo=off -trimpath -o "$dir/netstat" ./cmd/netstat
go build -o "$dir/gen" ./internal/weblog/gen/weblog-gen
"$dir/gen" -lines 1000000 -clients 4000 -urls 3000 -format combined-time >"$dir/access.log"
"$dir/gen" -lines 1000000 -clients 4000 -urls 3000 -format squid-combined -seed 2 >"$dir/squid.log"
n=0
round=0
while [ "$round" -lt "${ROUNDS:-3}" ]; do
	for r in "report" "report --json" "report --html $dir/r.html" "top-ips" "top-urls" \
		"largest --match \\.exe" "big --match \\.exe --min-bytes 200000" \
		"slowest --match \\.php" "slow --match \\.php --over 60" "slow --over 30 --top 20" \
		"traffic" "status-list --status 404" "status" "crawlers"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # the report's words
		NETSTAT_GO_CPUPROFILE="$dir/p$n.prof" "$dir/netstat" weblog $r "$dir/access.log" >/dev/null
	done
	n=$((n + 1))
	NETSTAT_GO_CPUPROFILE="$dir/p$n.prof" "$dir/netstat" weblog domains "$dir/squid.log" >/dev/null
	round=$((round + 1))
done
go tool pprof -proto -focus 'internal/weblog' -hide '^runtime\.|^internal/runtime|^internal/bytealg' "$dir"/p*.prof >cmd/netstat/release.pgo
echo "cmd/netstat/release.pgo: $n profiles merged, $(wc -c <cmd/netstat/release.pgo) bytes"
